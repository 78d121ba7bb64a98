// OpenBLAS's CBLAS interface; the include path comes from pkg-config (openblas.pc).
#include <cblas.h>
// OpenBLAS extension: pin the thread count (the UI thread and captioning workers share cores).
void openblas_set_num_threads(int num_threads);
int openblas_get_num_threads(void);
