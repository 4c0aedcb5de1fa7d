/* The segment registers in the order of their 3-bit encoding: the VM-exit
 * instruction-information segment field (SDM vol. 3C 28.2.5), the ModRM
 * Sreg field (vol. 2A 2.1.3), and the VMCB's segment order (APM vol. 2
 * Table B-2). One numbering for the decoders, the exit decoders and the
 * vendor layers' segment_base. */
#ifndef HV_X86_SEGMENT_H
#define HV_X86_SEGMENT_H

enum x86_segment { SEGMENT_ES, SEGMENT_CS, SEGMENT_SS, SEGMENT_DS, SEGMENT_FS, SEGMENT_GS };

#endif
