// Interposes malloc/calloc/realloc in the test executable and forwards to glibc's own entry
// points (__libc_*), counting calls while a test has counting switched on. No package offers
// this for Swift on Linux without a heavy dependency, and it is a few lines.
#include <stddef.h>
#include <stdatomic.h>
#include "allocation_counter.h"

extern void *__libc_malloc(size_t size);
extern void *__libc_calloc(size_t count, size_t size);
extern void *__libc_realloc(void *ptr, size_t size);

static _Atomic long counted;
static _Atomic int counting;

// A place for a debugger breakpoint: `break allocation_counter_hit` shows who allocated.
__attribute__((noinline)) void allocation_counter_hit(void) { __asm__ volatile(""); }

static inline void count_one(void) {
    if (atomic_load_explicit(&counting, memory_order_relaxed)) {
        atomic_fetch_add(&counted, 1);
        allocation_counter_hit();
    }
}

void *malloc(size_t size) {
    count_one();
    return __libc_malloc(size);
}

void *calloc(size_t count, size_t size) {
    count_one();
    return __libc_calloc(count, size);
}

void *realloc(void *ptr, size_t size) {
    count_one();
    return __libc_realloc(ptr, size);
}

void allocation_counter_start(void) {
    atomic_store(&counted, 0);
    atomic_store(&counting, 1);
}

long allocation_counter_stop(void) {
    atomic_store(&counting, 0);
    return atomic_load(&counted);
}
