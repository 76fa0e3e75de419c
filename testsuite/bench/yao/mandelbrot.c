/* mandelbrot-ref.c - the C reference that made mandelbrot-200.out (from the
 * Benchmarks Game task description): cc -O0 -ffp-contract=off; ./a.out 200 */
#include <stdio.h>
#include <stdlib.h>
int main(int argc, char **argv) {
    int w = atoi(argv[1]), h = w, bit_num = 0; char byte_acc = 0;
    printf("P4\n%d %d\n", w, h);
    for (int y = 0; y < h; ++y) for (int x = 0; x < w; ++x) {
        double Zr = 0, Zi = 0, Tr = 0, Ti = 0, Cr = 2.0*x/w - 1.5, Ci = 2.0*y/h - 1.0;
        for (int i = 0; i < 50 && Tr + Ti <= 4.0; ++i) { Zi = 2.0*Zr*Zi + Ci; Zr = Tr - Ti + Cr; Tr = Zr*Zr; Ti = Zi*Zi; }
        byte_acc <<= 1; if (Tr + Ti <= 4.0) byte_acc |= 1; ++bit_num;
        if (bit_num == 8) { putc(byte_acc, stdout); byte_acc = 0; bit_num = 0; }
        else if (x == w - 1) { byte_acc <<= (8 - w % 8); putc(byte_acc, stdout); byte_acc = 0; bit_num = 0; }
    }
    return 0;
}
