/* LMSW through memory operands whose segments differ (cr_modes32):
 * lmsw_forms.S holds the forms, lmsw_segments.c runs them. */
#ifndef CR_MODES32_LMSW_SEGMENTS_H
#define CR_MODES32_LMSW_SEGMENTS_H

#define LMSW_OFFSET 0x100   /* every form's operand offset */

#ifndef __ASSEMBLER__
/* Prints `cr: lmsw_seg form=<name> seg=<ss|ds|es> loaded=<CR0>` a form. */
void lmsw_segments(void);
#endif

#endif
