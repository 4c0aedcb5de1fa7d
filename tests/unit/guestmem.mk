# Host atf-c unit tests of the hypervisor's portable guest-memory and device
# code in reference/lib/. Each program links its module hosted; objects live
# under $(B)/tests/unit/guestmem/ so other fragments' rules cannot collide.
GUESTMEM_DIR := $(B)/tests/unit/guestmem
GUESTMEM_TESTS := elf_guest guest_paging io_exit io_queue hypercall
GUESTMEM_PROGS := $(GUESTMEM_TESTS:%=$(B)/tests/unit/%_test)

# reference/lib modules each test program needs besides its own.
GUESTMEM_LIBS_elf_guest := elf_guest
GUESTMEM_LIBS_guest_paging := guest_paging
GUESTMEM_LIBS_io_exit := io_exit
GUESTMEM_LIBS_io_queue := io_queue
GUESTMEM_LIBS_hypercall := hypercall guest_paging

GUESTMEM_LIB_OBJS := $(sort $(foreach t,$(GUESTMEM_TESTS),\
  $(GUESTMEM_LIBS_$(t):%=$(GUESTMEM_DIR)/lib/%.o)))
GUESTMEM_TEST_OBJS := $(GUESTMEM_TESTS:%=$(GUESTMEM_DIR)/%_test.o)

ALL_TARGETS += $(GUESTMEM_PROGS)
CHECK_TARGETS += $(GUESTMEM_PROGS)

$(GUESTMEM_LIB_OBJS): $(GUESTMEM_DIR)/lib/%.o: reference/lib/%.c
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -Ireference/lib -c $< -o $@

$(GUESTMEM_TEST_OBJS): $(GUESTMEM_DIR)/%.o: tests/unit/%.c
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -Ireference/lib -c $< -o $@

# $(1): module name. Links the test object with its modules and atf-c.
define GUESTMEM_PROG_RULE
$(B)/tests/unit/$(1)_test: $(GUESTMEM_DIR)/$(1)_test.o \
  $(GUESTMEM_LIBS_$(1):%=$(GUESTMEM_DIR)/lib/%.o)
	@mkdir -p $$(@D)
	$$(CC) $$(HOST_CFLAGS) $$^ -o $$@ -latf-c
endef
$(foreach t,$(GUESTMEM_TESTS),$(eval $(call GUESTMEM_PROG_RULE,$(t))))
