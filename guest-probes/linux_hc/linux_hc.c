/* linux_hc: the Linux guest's user-space hypercall helper (issue 15 section
 * 2, contract {#hc.abi.any-cpl}). A static x86-64 Linux program without libc
 * (ci/linux-guest.sh builds it, ci/mkinitramfs.lua puts it at /bin/linux_hc,
 * ci/linux-init.sh runs it): from ring 3 it makes the Print hypercall
 * (contract 5) of a line in its own stack, so the hypervisor translates a
 * user virtual address through Linux's page tables, then a Print of a page
 * Linux never maps in a process, which must fail with HC_EFAULT. It reports
 * both results on stdout as "hvspec-linux: ..." lines (spec/linux.lua) and
 * exits 0 when both are as contract 5 says, 1 otherwise. */
#include <stddef.h>
#include <stdint.h>

#include "abi/hypercall.h" /* HC_PRINT, HC_EFAULT */

/* Linux x86-64 system call numbers (arch/x86/entry/syscalls/syscall_64.tbl). */
#define SYS_WRITE 1
#define SYS_IOCTL 16
#define SYS_EXIT_GROUP 231
/* ioctl TCSBRK with a nonzero argument waits until the tty has sent its
 * output, as tcdrain(3) does (include/uapi/asm-generic/ioctls.h). */
#define TCSBRK 0x5409
#define STDOUT_FD 1
#define LINUX_HC_STR_(x) #x
#define LINUX_HC_STR(x) LINUX_HC_STR_(x)

/* A user address no process has mapped: below vm.mmap_min_addr (64 KiB
 * by default, Documentation/admin-guide/sysctl/vm.rst), and a static
 * non-PIE program starts at 4 MiB. Its page-table entry is not present, so
 * Print must return HC_EFAULT (contract {#hc.error.efault}). */
#define UNMAPPED_USER_VA 0x1000ul
#define UNMAPPED_PRINT_SIZE 16ul

/* CPUID leaf 0 returns the vendor string in EBX, EDX, ECX (SDM vol. 2A
 * "CPUID", APM vol. 3 "CPUID Fn0000_0000"). */
#define CPUID_LEAF_VENDOR 0u

static long syscall3(long nr, long a1, long a2, long a3)
{
	long ret;

	/* SYSCALL clobbers RCX (return RIP) and R11 (RFLAGS) (SDM vol. 2B "SYSCALL"). */
	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(nr), "D"(a1), "S"(a2), "d"(a3)
			 : "rcx", "r11", "memory");
	return ret;
}

/* Print(gva, size) through the instruction insn (contract 5: RAX the
 * number, RDI and RSI the arguments, the result in RAX). */
#define DEFINE_PRINT(name, insn)                                                  \
	static long name(const void *gva, unsigned long size)                     \
	{                                                                         \
		long ret;                                                         \
		__asm__ volatile(insn                                             \
				 : "=a"(ret)                                      \
				 : "a"((unsigned long)HC_PRINT), "D"(gva), "S"(size) \
				 : "memory");                                     \
		return ret;                                                       \
	}

/* VMCALL (0F 01 C1, SDM vol. 3C "VMCALL"): in VMX non-root operation it
 * exits to the hypervisor at any CPL; on AMD it raises #UD, which contract
 * {#hc.abi.vmcall-svm} makes a hypercall too. */
DEFINE_PRINT(vmcall_print, "vmcall")
/* VMMCALL (0F 01 D9, APM vol. 3 "VMMCALL"): intercepted at any CPL
 * (contract {#hc.abi.vmmcall}). */
DEFINE_PRINT(vmmcall_print, "vmmcall")

/* AMD's processors (and Hygon's, which share their SVM) name VMMCALL the
 * hypercall instruction; every other vendor gets VMCALL, which contract 5
 * accepts on both. */
static int same_bytes(const char *a, const char *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (a[i] != b[i])
			return 0;
	return 1;
}

static int vendor_is_amd(void)
{
	uint32_t eax = CPUID_LEAF_VENDOR, ebx, ecx = 0, edx;
	char v[12];

	__asm__ volatile("cpuid" : "+a"(eax), "=b"(ebx), "+c"(ecx), "=d"(edx));
	for (int i = 0; i < 4; i++) {
		v[i] = (char)(ebx >> (8 * i));
		v[4 + i] = (char)(edx >> (8 * i));
		v[8 + i] = (char)(ecx >> (8 * i));
	}
	return same_bytes(v, "AuthenticAMD", 12) || same_bytes(v, "HygonGenuine", 12);
}

static size_t text_length(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}

static void put(const char *s)
{
	syscall3(SYS_WRITE, STDOUT_FD, (long)s, (long)text_length(s));
}

static void put_signed(long value)
{
	char digits[24];
	size_t i = sizeof digits;
	unsigned long magnitude = value < 0 ? 0ul - (unsigned long)value : (unsigned long)value;

	digits[--i] = '\0';
	do {
		digits[--i] = (char)('0' + magnitude % 10);
		magnitude /= 10;
	} while (magnitude);
	if (value < 0)
		digits[--i] = '-';
	put(digits + i);
}

static void put_result(const char *what, const char *insn, long result)
{
	put("hvspec-linux: user hypercall ");
	put(what);
	put(" through ");
	put(insn);
	put(": ");
	put_signed(result);
	put("\n");
}

/* Called from _start with the stack aligned; returns the exit status. */
int linux_hc_main(void);
int linux_hc_main(void)
{
	/* Copied into the stack at run time: a page this process has written
	 * is present in its page tables (an untouched page of the program's
	 * file may not be yet, and Print does not fault it in). */
	static const char text[] = "hvspec-linux-hc: printed from ring 3\n";
	char line[sizeof text - 1];
	int amd = vendor_is_amd();
	const char *insn = amd ? "vmmcall" : "vmcall";

	for (size_t i = 0; i < sizeof line; i++)
		line[i] = text[i];
	/* Let the tty send what the shell printed before, so the hypervisor's
	 * line does not land in the middle of one of those. */
	syscall3(SYS_IOCTL, STDOUT_FD, TCSBRK, 1);
	long printed = amd ? vmmcall_print(line, sizeof line) : vmcall_print(line, sizeof line);
	put_result("print of a user buffer", insn, printed);
	long absent = amd ? vmmcall_print((const void *)UNMAPPED_USER_VA, UNMAPPED_PRINT_SIZE)
			  : vmcall_print((const void *)UNMAPPED_USER_VA, UNMAPPED_PRINT_SIZE);
	put_result("print of an unmapped user page", insn, absent);
	return printed == (long)sizeof line && absent == HC_EFAULT ? 0 : 1;
}

/* The process entry: Linux starts it with RSP 16-byte aligned at argc
 * (System V x86-64 psABI 3.4.1); the call pushes a return address as a C
 * function expects, and exit_group ends every thread. */
__asm__(".globl _start\n"
	".type _start, @function\n"
	"_start:\n"
	"	xorl %ebp, %ebp\n"
	"	andq $-16, %rsp\n"
	"	call linux_hc_main\n"
	"	movl %eax, %edi\n"
	"	movl $" LINUX_HC_STR(SYS_EXIT_GROUP) ", %eax\n"
	"	syscall\n"
	"	hlt\n");
