# guest-probes/memvirt.mk: the memory-virtualization probes (issue 3; spec
# areas ept, pager, mmio, isolation) and their shared helpers in memlib/.
# Included by the top Makefile after guest-probes/build.mk, whose variables
# and gp_probe_rule it uses. Outputs: $(B)/guest-probes/<probe>.elf
MV_PROBES := ept_perms ept_map pager_counts pager_oom mmio_access \
  mmio_doorbell mmio_bad isolation_print isolation_mmio perf_mem
MV_MEMLIB_OBJS := $(call gp_objs,64,memlib/memlib.c)

$(foreach p,$(MV_PROBES),$(eval $(call gp_probe_rule,$(p),64)))

# pager_elf links with its own script: besides the runtime's two segments
# it has segments whose file bytes end inside a page (see its link.ld).
$(GP_OUT)/pager_elf.elf: $(call gp_objs,64,$(GP_RT64) $(call gp_probe_srcs,pager_elf)) $(GP_DIR)/pager_elf/link.ld
	@mkdir -p $(@D)
	$(CC) -m64 $(FREE_LDFLAGS) -T $(GP_DIR)/pager_elf/link.ld -o $@ $(filter %.o,$^)

# Every probe here also links memlib (the rules above use $(filter %.o,$^)).
MV_TARGETS := $(patsubst %,$(GP_OUT)/%.elf,$(MV_PROBES) pager_elf)
$(MV_TARGETS): $(MV_MEMLIB_OBJS)

.PHONY: memvirt-probes
memvirt-probes: $(MV_TARGETS)
ALL_TARGETS += $(MV_TARGETS)
