// The threads that run Parallel's ranges. libdispatch's concurrentPerform parks its threads between
// calls, and a decoding step makes ~200 short parallel calls (one per weight matrix, each a few
// hundred microseconds): waking them cost ~35-40 us a call on the 2-core VM (8 items of 17 us:
// 103-112 us against 69-79 us with threads that wait spinning). Here the workers spin for a while
// after each call, then sleep on a condition variable. One caller at a time: a call made while
// another runs (another thread, or a nested call) is refused and the caller uses libdispatch.
#include "kernels.h"
#include <pthread.h>
#include <stdatomic.h>
#include <time.h>
#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#endif

enum { POOL_MAX_WORKERS = 63 };
/// How long an idle worker spins before it sleeps: longer than the gaps between a decoding step's
/// products, short enough that an idle program gives the cores back at once.
static const double POOL_SPIN_SECONDS = 0.002;

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t wake = PTHREAD_COND_INITIALIZER;
static atomic_flag busy = ATOMIC_FLAG_INIT;
static int workers;                      // started, fixed after the first call
static atomic_uint generation;           // bumped for each call
static atomic_int sleeping;              // workers waiting on `wake`
static atomic_int next, finished;        // the next item to take; workers done with this call
static fc_pool_item current_item;
static void *current_context;
static int current_count;

static double seconds(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

static void pause_briefly(void) {
#if defined(__x86_64__) || defined(__i386__)
    _mm_pause();
#endif
}

static void take_items(void) {
    for (;;) {
        int i = atomic_fetch_add_explicit(&next, 1, memory_order_acq_rel);
        if (i >= current_count) return;
        current_item(current_context, i);
    }
}

static void *worker(void *unused) {
    (void)unused;
    unsigned seen = 0;
    for (;;) {
        double spun = seconds();
        int checks = 0;
        while (atomic_load_explicit(&generation, memory_order_acquire) == seen) {
            pause_briefly();
            if (++checks % 256 == 0 && seconds() - spun > POOL_SPIN_SECONDS) {
                pthread_mutex_lock(&lock);
                atomic_fetch_add(&sleeping, 1);
                while (atomic_load_explicit(&generation, memory_order_acquire) == seen) pthread_cond_wait(&wake, &lock);
                atomic_fetch_sub(&sleeping, 1);
                pthread_mutex_unlock(&lock);
            }
        }
        seen = atomic_load_explicit(&generation, memory_order_acquire);
        take_items();
        atomic_fetch_add_explicit(&finished, 1, memory_order_acq_rel);
    }
    return 0;
}

static int start_workers(int threads) {
    static int started = 0;
    if (started) return workers;
    started = 1;
    int wanted = threads - 1 < POOL_MAX_WORKERS ? threads - 1 : POOL_MAX_WORKERS;
    for (int i = 0; i < wanted; i++) {
        pthread_t t;
        if (pthread_create(&t, 0, worker, 0) != 0) break;
        pthread_detach(t);
        workers++;
    }
    return workers;
}

int fc_pool_run(int threads, int count, fc_pool_item item, void *context) {
    if (threads < 2 || count < 2) return 0;
    if (atomic_flag_test_and_set_explicit(&busy, memory_order_acquire)) return 0;
    if (start_workers(threads) == 0) {
        atomic_flag_clear_explicit(&busy, memory_order_release);
        return 0;
    }
    current_item = item;
    current_context = context;
    current_count = count;
    atomic_store_explicit(&next, 0, memory_order_relaxed);
    atomic_store_explicit(&finished, 0, memory_order_relaxed);
    // Publishing the new generation releases the fields above to the workers.
    pthread_mutex_lock(&lock);
    atomic_fetch_add_explicit(&generation, 1, memory_order_acq_rel);
    if (atomic_load(&sleeping) > 0) pthread_cond_broadcast(&wake);
    pthread_mutex_unlock(&lock);
    take_items();
    while (atomic_load_explicit(&finished, memory_order_acquire) < workers) pause_briefly();
    atomic_flag_clear_explicit(&busy, memory_order_release);
    return 1;
}
