# Host unit test of the SVM layer's portable piece: reference/svm/insn_scan.c,
# the prefix scan behind instruction lengths without NRIPS (QEMU TCG).
SVM_UT_DIR := $(B)/tests/unit/svm
SVM_UT_INCLUDES := -Ireference/svm -Ireference/lib

$(SVM_UT_DIR)/%.o: tests/unit/%.c
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) $(SVM_UT_INCLUDES) -c $< -o $@
$(SVM_UT_DIR)/src/insn_scan.o: reference/svm/insn_scan.c
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) $(SVM_UT_INCLUDES) -c $< -o $@
$(B)/tests/unit/insn_scan_test: $(SVM_UT_DIR)/insn_scan_test.o $(SVM_UT_DIR)/src/insn_scan.o
	$(CC) $(HOST_CFLAGS) $^ -latf-c -o $@

ALL_TARGETS += $(B)/tests/unit/insn_scan_test
CHECK_TARGETS += $(B)/tests/unit/insn_scan_test
