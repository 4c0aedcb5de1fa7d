/* Models of the device windows for the MMIO oracle (dev_model.c). */
#ifndef FUZZ_DEV_MODEL_H
#define FUZZ_DEV_MODEL_H
#include "fuzz.h"

/* The values a read of width w (1-8) at offset off of the window may
 * return (0 values: unchecked), and counts the read. */
unsigned dev_read(unsigned window, unsigned off, unsigned w, uint64_t cand[4]);

/* Whether a write may run: false when it would ring the doorbell with a
 * buffer outside the safe text (its bytes could forge transcript lines). */
bool dev_write_safe(unsigned window, unsigned off, unsigned w, uint64_t value);

/* Applies a write of the low w bytes of value; true when it rang the
 * doorbell. */
bool dev_write(unsigned window, unsigned off, unsigned w, uint64_t value);

/* Reads the doorbell's STATUS (two plain 4-byte loads) and checks it
 * against the last ring: right after a ring, whatever the next op does. */
void dev_check_status(void);

/* Programs BUFFER and LENGTH with plain 4-byte stores, rings, and checks
 * STATUS; false (and nothing done) when the ring could print anything
 * but the safe text. */
bool dev_doorbell_ring(uint64_t buffer, uint64_t length);

/* At the start of a mode: reads the test device's counters and scratch,
 * points the doorbell at the text with LENGTH 0 and rings it once, and
 * touches the ROM and the no-execute page. */
void dev_model_sync(void);

#endif
