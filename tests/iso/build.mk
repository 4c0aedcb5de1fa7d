# tests/iso/: the GRUB ISO boot test (atf-sh), with this tree's paths filled in.
$(B)/tests/iso/grub_iso_test: tests/iso/grub_iso_test.sh
	@mkdir -p $(@D)
	sed -e 's|@ROOT@|$(CURDIR)|g' -e 's|@B@|$(abspath $(B))|g' $< >$@
	chmod +x $@

ALL_TARGETS += $(B)/tests/iso/grub_iso_test
