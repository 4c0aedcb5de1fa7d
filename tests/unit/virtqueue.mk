# Host atf-c unit test of the split-virtqueue walker (reference/lib/virtqueue.c,
# contract section 14 "Virtio block device") against a fake guest RAM.
VIRTQUEUE_UT_DIR := $(B)/tests/unit/virtqueue

$(VIRTQUEUE_UT_DIR)/virtqueue_test.o: tests/unit/virtqueue_test.c
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -Ireference/lib -c $< -o $@
$(VIRTQUEUE_UT_DIR)/lib/virtqueue.o: reference/lib/virtqueue.c
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -Ireference/lib -c $< -o $@
$(B)/tests/unit/virtqueue_test: $(VIRTQUEUE_UT_DIR)/virtqueue_test.o $(VIRTQUEUE_UT_DIR)/lib/virtqueue.o
	$(CC) $(HOST_CFLAGS) $^ -latf-c -o $@

ALL_TARGETS += $(B)/tests/unit/virtqueue_test
CHECK_TARGETS += $(B)/tests/unit/virtqueue_test
