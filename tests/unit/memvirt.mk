# Host unit tests of the memory-virtualization modules in reference/lib
# (MMIO instruction decoding; the stage-2 module is built by core.mk). The modules are compiled hosted
# here, apart from the hypervisor's freestanding objects.
# Static pattern rules keep these recipes to this fragment's own files.

MEMVIRT_TESTS := mmio_decode
MEMVIRT_TEST_PROGS := $(MEMVIRT_TESTS:%=$(B)/tests/unit/%_test)
MEMVIRT_TEST_OBJS := $(MEMVIRT_TESTS:%=$(B)/tests/unit/memvirt/%_test.o)
MEMVIRT_LIB_OBJS := $(MEMVIRT_TESTS:%=$(B)/tests/unit/memvirt/%.o)

$(MEMVIRT_LIB_OBJS): $(B)/tests/unit/memvirt/%.o: reference/lib/%.c
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -Ireference/lib -c $< -o $@

$(MEMVIRT_TEST_OBJS): $(B)/tests/unit/memvirt/%.o: tests/unit/%.c
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -Ireference/lib -c $< -o $@

$(MEMVIRT_TEST_PROGS): $(B)/tests/unit/%_test: $(B)/tests/unit/memvirt/%_test.o $(B)/tests/unit/memvirt/%.o
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) $^ -latf-c -o $@

ALL_TARGETS += $(MEMVIRT_TEST_PROGS)
CHECK_TARGETS += $(MEMVIRT_TEST_PROGS)
