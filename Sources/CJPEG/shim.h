// libjpeg-turbo's libjpeg API, found through pkg-config (libjpeg.pc). jpeglib.h needs stdio.h first.
#include <stdio.h>
#include <jpeglib.h>
