#ifndef FACECAP_ALLOCATION_COUNTER_H
#define FACECAP_ALLOCATION_COUNTER_H
/// Counts heap allocations made while counting is on, so a test can prove the decode loop
/// allocates nothing per token. Linked into the test executable only.
void allocation_counter_start(void);
long allocation_counter_stop(void);
#endif
