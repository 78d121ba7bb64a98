// libpng, found through pkg-config (libpng.pc).
#include <png.h>
