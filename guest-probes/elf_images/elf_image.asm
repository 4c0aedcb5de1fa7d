; Hand-made ELF images for the guest-boot cases (contract section 2).
;
; Without options this is a minimal valid ELF64 x86-64 executable: one
; PT_LOAD at guest-physical 0x100000 holding the whole file, entry in 32-bit
; code that calls HaltCpu(0x600d). Each -D option changes exactly one thing,
; so each bad image differs from the valid control in the single defect its
; refusal case is about:
;   ELF32             ELFCLASS32 / EM_386 image (also valid)
;   MAGIC0=n          first magic byte          CLASS=n, DATA=n, TYPE=n, MACHINE=n
;   PHENTSIZE=n       e_phentsize               PHOFF=n   e_phoff
;   EXTRA_PADDR=a     add a second PT_LOAD at a, with EXTRA_MEMSZ (0x1000),
;                     EXTRA_FILESZ (16) and EXTRA_OFFSET (its bytes in file)
;   ENTRY_OFFSET=n    e_entry = 0x100000 + n    ENTRY_AT_END  e_entry = end of
;                                                             the first PT_LOAD
;   BZ_FLAG=n, BZ_MAGIC=s  pad the loaded bytes to file offset 0x1fe and put
;                     there the word n (a bzImage has 0xaa55) and at 0x202
;                     the 4 bytes s (a bzImage has "HdrS"): half a Linux
;                     signature, which must not make the ELF a bzImage
;                     (contract 16, linux.bzimage); the code never reads them
; Build: nasm -f bin [-D...] -o image.elf elf_image.asm

%define LOAD_BASE 0x100000
%define HALT_CODE 0x600d

; ELF constants (System V gABI, "ELF Header" and "Program Header").
%define ELFCLASS32 1
%define ELFCLASS64 2
%define ELFDATA2LSB 1
%define EV_CURRENT 1
%define ET_EXEC 2
%define EM_386 3
%define EM_X86_64 62
%define PT_LOAD 1
%define PF_RX 5
%define PF_RW 6

%ifdef ELF32
  %define DEFAULT_CLASS ELFCLASS32
  %define DEFAULT_MACHINE EM_386
  %define EHDR_SIZE 52
  %define DEFAULT_PHENTSIZE 32
%else
  %define DEFAULT_CLASS ELFCLASS64
  %define DEFAULT_MACHINE EM_X86_64
  %define EHDR_SIZE 64
  %define DEFAULT_PHENTSIZE 56
%endif
%ifndef MAGIC0
  %define MAGIC0 0x7f
%endif
%ifndef CLASS
  %define CLASS DEFAULT_CLASS
%endif
%ifndef DATA
  %define DATA ELFDATA2LSB
%endif
%ifndef TYPE
  %define TYPE ET_EXEC
%endif
%ifndef MACHINE
  %define MACHINE DEFAULT_MACHINE
%endif
%ifndef PHENTSIZE
  %define PHENTSIZE DEFAULT_PHENTSIZE
%endif
%ifndef PHOFF
  %define PHOFF phdrs
%endif
%ifdef EXTRA_PADDR
  %define PHNUM 2
  %ifndef EXTRA_MEMSZ
    %define EXTRA_MEMSZ 0x1000
  %endif
  %ifndef EXTRA_FILESZ
    %define EXTRA_FILESZ (extra_end - extra_bytes)
  %endif
  %ifndef EXTRA_OFFSET
    %define EXTRA_OFFSET extra_bytes
  %endif
%else
  %define PHNUM 1
%endif
%ifdef ENTRY_OFFSET
  %define ENTRY (LOAD_BASE + ENTRY_OFFSET)
%elifdef ENTRY_AT_END
  %define ENTRY (LOAD_BASE + file_end)
%else
  %define ENTRY (LOAD_BASE + code)
%endif

	bits 32
	org 0

ehdr:
	db MAGIC0, 'E', 'L', 'F', CLASS, DATA, EV_CURRENT, 0
	times 8 db 0
	dw TYPE
	dw MACHINE
	dd EV_CURRENT
%ifdef ELF32
	dd ENTRY
	dd PHOFF
	dd 0			; e_shoff
	dd 0			; e_flags
%else
	dq ENTRY
	dq PHOFF
	dq 0
	dd 0
%endif
	dw EHDR_SIZE
	dw PHENTSIZE
	dw PHNUM
	dw 0, 0, 0		; no section headers

; %1 flags, %2 file offset, %3 paddr, %4 filesz, %5 memsz, %6 p_align
%macro load_segment 6
%ifdef ELF32
	dd PT_LOAD, %2, %3, %3, %4, %5, %1, %6
%else
	dd PT_LOAD, %1
	dq %2, %3, %3, %4, %5, %6
%endif
%endmacro

phdrs:
	load_segment PF_RX, 0, LOAD_BASE, file_end, file_end, 0x1000
%ifdef EXTRA_PADDR
	; p_align 1 (no constraint, gABI): the bytes need not sit at an
	; offset congruent to the paddr, so alignment is never the defect.
	load_segment PF_RW, EXTRA_OFFSET, EXTRA_PADDR, EXTRA_FILESZ, EXTRA_MEMSZ, 1
%endif

code:	; HaltCpu(HALT_CODE) in 32-bit protected mode (contract section 5).
	xor eax, eax
	mov edi, HALT_CODE
	vmcall
.spin:	jmp .spin

extra_bytes:
	times 16 db 0xa5
extra_end:
%ifdef BZ_FLAG
	; boot.rst "The Real-Mode Kernel Header": boot_flag at 0x1fe, header
	; at 0x202. times fails (negative count) if the code ever grows past.
	times 0x1fe - ($ - $$) db 0
	dw BZ_FLAG
	dw 0			; where a bzImage has its jump
	db BZ_MAGIC
%endif
file_end:
