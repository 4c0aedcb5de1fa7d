/* mkrom: packs the ROM loader, a Multiboot2 kernel, its command line, up
 * to three modules and their strings into one firmware image for Bochs
 * (romimage:) or QEMU (-bios). With -d, modules that do not fit go to a
 * firmware disk the loader reads over ATA. Layout: rom_format.h. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "rom_format.h"

#define ROM_GRANULE 0x10000u   /* Bochs and QEMU want ROM sizes in 64 KiB steps */

struct file_buf { uint8_t *data; size_t size; };

static void die(const char *fmt, const char *arg)
{
	fprintf(stderr, "mkrom: ");
	fprintf(stderr, fmt, arg);
	fputc('\n', stderr);
	exit(2);
}

static struct file_buf read_file(const char *path)
{
	struct file_buf f = { 0, 0 };
	FILE *fp = fopen(path, "rb");
	if (!fp)
		die("cannot open %s", path);
	if (fseek(fp, 0, SEEK_END) || (long)(f.size = (size_t)ftell(fp)) < 0 || fseek(fp, 0, SEEK_SET))
		die("cannot size %s", path);
	f.data = malloc(f.size ? f.size : 1);
	if (!f.data || fread(f.data, 1, f.size, fp) != f.size)
		die("cannot read %s", path);
	fclose(fp);
	return f;
}

static void write_file(const char *path, const void *data, size_t size)
{
	FILE *fp = fopen(path, "wb");
	if (!fp)
		die("cannot create %s", path);
	if (fwrite(data, 1, size, fp) != size || fclose(fp))
		die("cannot write %s", path);
}

/* The firmware disk (rom_format.h): the magic in sector 0, then each module
 * of on_disk from a sector boundary on (its first sector into lba[i]),
 * padded to whole cylinders. Removes path when no module goes there, so a
 * stale disk never follows a ROM that does not want it. */
static void write_disk(const char *path, struct file_buf *const mods[HVROM_MODULES],
		       uint32_t on_disk, uint32_t lba[HVROM_MODULES])
{
	if (!on_disk) {
		if (remove(path) != 0 && errno != ENOENT)
			die("cannot remove %s", path);
		return;
	}
	size_t sectors = HVROM_DISK_FIRST_MODULE_LBA;
	for (unsigned i = 0; i < HVROM_MODULES; i++) {
		if (!(on_disk & (1u << i)))
			continue;
		lba[i] = (uint32_t)sectors;
		sectors += (mods[i]->size + HVROM_DISK_SECTOR - 1) / HVROM_DISK_SECTOR;
	}
	size_t bytes = sectors * HVROM_DISK_SECTOR;
	bytes = (bytes + HVROM_DISK_CYLINDER - 1) / HVROM_DISK_CYLINDER * HVROM_DISK_CYLINDER;
	uint8_t *disk = calloc(1, bytes);
	if (!disk)
		die("out of memory for the firmware disk %s", path);
	memcpy(disk, HVROM_DISK_MAGIC, sizeof HVROM_DISK_MAGIC - 1);
	for (unsigned i = 0; i < HVROM_MODULES; i++)
		if (on_disk & (1u << i))
			memcpy(disk + (size_t)lba[i] * HVROM_DISK_SECTOR, mods[i]->data, mods[i]->size);
	write_file(path, disk, bytes);
	free(disk);
}

static void usage(void)
{
	fprintf(stderr,
		"usage: mkrom -o OUT -l LOADER.bin -k KERNEL.elf [-c KERNEL_CMDLINE]\n"
		"             [-m MODULE] [-a MODULE_CMDLINE] [-x SECOND_MODULE] [-X SECOND_MODULE_CMDLINE]\n"
		"             [-y THIRD_MODULE] [-Y THIRD_MODULE_CMDLINE]\n"
		"             [-f FIRMWARE_OPTION] [-L] [-d DISK_OUT] -r MACHINE_RAM_MIB\n"
		"-L: a ROM up to 16 MiB (QEMU; Bochs refuses more than 2 MiB)\n"
		"-d: when the modules do not fit in the ROM, the largest go to DISK_OUT, a flat\n"
		"    disk image for the ATA primary master (Bochs: ata0-master); DISK_OUT is\n"
		"    removed when everything fits\n"
		"firmware options: " HVROM_FW_VMX_LOCKED_OFF_NAME " (lock IA32_FEATURE_CONTROL with VMX off),\n"
		"  " HVROM_FW_SVM_LOCKED_OFF_NAME " (set VM_CR.SVMDIS and VM_CR.LOCK)\n");
	exit(2);
}

int main(int argc, char **argv)
{
	const char *out = 0, *loader_path = 0, *kernel_path = 0, *module_path = 0;
	const char *extra_path = 0, *third_path = 0;
	const char *kcmd = "", *mcmd = "", *xcmd = "", *ycmd = "", *disk_out = 0;
	long ram_mib = -1;
	uint32_t fw_options = 0;
	size_t max_size = HVROM_MAX_SIZE;
	int opt;
	while ((opt = getopt(argc, argv, "o:l:k:c:m:a:x:X:y:Y:f:r:Ld:")) != -1) {
		switch (opt) {
		case 'o': out = optarg; break;
		case 'l': loader_path = optarg; break;
		case 'k': kernel_path = optarg; break;
		case 'c': kcmd = optarg; break;
		case 'm': module_path = optarg; break;
		case 'a': mcmd = optarg; break;
		case 'x': extra_path = optarg; break;
		case 'X': xcmd = optarg; break;
		case 'y': third_path = optarg; break;
		case 'Y': ycmd = optarg; break;
		case 'L': max_size = HVROM_MAX_SIZE_LARGE; break;
		case 'd': disk_out = optarg; break;
		case 'f':
			if (!strcmp(optarg, HVROM_FW_VMX_LOCKED_OFF_NAME))
				fw_options |= HVROM_FW_VMX_LOCKED_OFF;
			else if (!strcmp(optarg, HVROM_FW_SVM_LOCKED_OFF_NAME))
				fw_options |= HVROM_FW_SVM_LOCKED_OFF;
			else
				die("unknown firmware option '%s' (known: " HVROM_FW_VMX_LOCKED_OFF_NAME
				    ", " HVROM_FW_SVM_LOCKED_OFF_NAME ")", optarg);
			break;
		case 'r': {
			char *end;
			errno = 0;
			ram_mib = strtol(optarg, &end, 10);
			if (errno || *end || ram_mib < 16 || ram_mib > 3072)
				die("machine RAM must be 16..3072 MiB, got '%s'", optarg);
			break;
		}
		default: usage();
		}
	}
	if (!out || !loader_path || !kernel_path || ram_mib < 0 || optind != argc)
		usage();
	if (extra_path && !module_path)
		die("a second module (-x %s) needs a first one (-m)", extra_path);
	if (third_path && !extra_path)
		die("a third module (-y %s) needs a second one (-x)", third_path);

	struct file_buf loader = read_file(loader_path);
	if (loader.size != HVROM_LOADER_SIZE)
		die("%s is not a 64 KiB loader image", loader_path);
	struct file_buf kernel = read_file(kernel_path);
	struct file_buf module = { 0, 0 };
	if (module_path)
		module = read_file(module_path);
	struct file_buf extra = { 0, 0 };
	if (extra_path)
		extra = read_file(extra_path);
	struct file_buf third = { 0, 0 };
	if (third_path)
		third = read_file(third_path);

	/* With -d, the largest modules leave the ROM until the rest fits. */
	size_t klen = strlen(kcmd) + 1, mlen = strlen(mcmd) + 1, xlen = strlen(xcmd) + 1;
	size_t ylen = strlen(ycmd) + 1;
	const size_t fixed = HVROM_HEADER_SIZE + HVROM_LOADER_SIZE;
	struct file_buf *mods[HVROM_MODULES] = { &module, &extra, &third };
	uint32_t on_disk = 0;
	size_t payload, off_kernel, off_kcmd, off_module, off_mcmd, off_extra, off_xcmd;
	size_t off_third, off_ycmd, rom_size;
	for (;;) {
		/* Payload below the header, each blob 16-byte aligned. */
		size_t in_rom[HVROM_MODULES];
		for (unsigned i = 0; i < HVROM_MODULES; i++)
			in_rom[i] = on_disk & (1u << i) ? 0 : mods[i]->size;
		payload = 0;
		off_kernel = payload; payload = (payload + kernel.size + 15) & ~(size_t)15;
		off_kcmd = payload;   payload = (payload + klen + 15) & ~(size_t)15;
		off_module = payload; payload = (payload + in_rom[0] + 15) & ~(size_t)15;
		off_mcmd = payload;   payload = (payload + mlen + 15) & ~(size_t)15;
		off_extra = payload;  payload = (payload + in_rom[1] + 15) & ~(size_t)15;
		off_xcmd = payload;   payload = (payload + xlen + 15) & ~(size_t)15;
		off_third = payload;  payload = (payload + in_rom[2] + 15) & ~(size_t)15;
		off_ycmd = payload;   payload = (payload + ylen + 15) & ~(size_t)15;
		rom_size = (payload + fixed + ROM_GRANULE - 1) & ~(size_t)(ROM_GRANULE - 1);
		if (rom_size <= max_size || !disk_out)
			break;
		int largest = -1;
		for (unsigned i = 0; i < HVROM_MODULES; i++)
			if (in_rom[i] && (largest < 0 || in_rom[i] > in_rom[largest]))
				largest = (int)i;
		if (largest < 0)
			break;
		on_disk |= 1u << largest;
	}
	if (rom_size > max_size) {
		fprintf(stderr, "mkrom: kernel + modules need %zu bytes; a ROM holds at most %zu%s\n",
			payload + fixed, max_size,
			max_size < HVROM_MAX_SIZE_LARGE ? " (QEMU takes more: -L; Bochs a firmware disk: -d)" : "");
		return 2;
	}
	uint8_t *rom = calloc(1, rom_size);
	if (!rom)
		die("out of memory%s", "");
	uint32_t rom_base = (uint32_t)(0x100000000ull - rom_size);
	size_t payload_start = rom_size - fixed - payload;
	memcpy(rom + payload_start + off_kernel, kernel.data, kernel.size);
	memcpy(rom + payload_start + off_kcmd, kcmd, klen);
	if (module.size && !(on_disk & 1u))
		memcpy(rom + payload_start + off_module, module.data, module.size);
	memcpy(rom + payload_start + off_mcmd, mcmd, mlen);
	if (extra.size && !(on_disk & 2u))
		memcpy(rom + payload_start + off_extra, extra.data, extra.size);
	memcpy(rom + payload_start + off_xcmd, xcmd, xlen);
	if (third.size && !(on_disk & 4u))
		memcpy(rom + payload_start + off_third, third.data, third.size);
	memcpy(rom + payload_start + off_ycmd, ycmd, ylen);
	memcpy(rom + rom_size - HVROM_LOADER_SIZE, loader.data, loader.size);

	uint32_t pbase = rom_base + (uint32_t)payload_start;
	struct hvrom_header h = {
		.version = HVROM_VERSION,
		.machine_ram_mib = (uint32_t)ram_mib,
		.rom_size = (uint32_t)rom_size,
		.firmware_options = fw_options,
		.kernel = { pbase + (uint32_t)off_kernel, (uint32_t)kernel.size },
		.kernel_cmdline = { pbase + (uint32_t)off_kcmd, (uint32_t)klen },
		.module = { module.size && !(on_disk & 1u) ? pbase + (uint32_t)off_module : 0,
			    (uint32_t)module.size },
		.module_cmdline = { pbase + (uint32_t)off_mcmd, (uint32_t)mlen },
		.extra_module = { extra.size && !(on_disk & 2u) ? pbase + (uint32_t)off_extra : 0,
				  (uint32_t)extra.size },
		.extra_module_cmdline = { pbase + (uint32_t)off_xcmd, (uint32_t)xlen },
		.third_module = { third.size && !(on_disk & 4u) ? pbase + (uint32_t)off_third : 0,
				  (uint32_t)third.size },
		.third_module_cmdline = { pbase + (uint32_t)off_ycmd, (uint32_t)ylen },
	};
	memcpy(h.magic, HVROM_MAGIC, sizeof h.magic);
	h.modules_on_disk = on_disk;
	if (disk_out)
		write_disk(disk_out, mods, on_disk, h.module_lba);
	memcpy(rom + rom_size - fixed, &h, sizeof h);

	write_file(out, rom, rom_size);
	free(rom);
	free(loader.data);
	free(kernel.data);
	free(module.data);
	free(extra.data);
	free(third.data);
	return 0;
}
