/* fasta-ref.c - the C reference that made fasta-1000.out (from the
 * Benchmarks Game task description): cc -O0; ./a.out 1000 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#define IM 139968
#define IA 3877
#define IC 29573
static long last = 42;
static double gen_random(double max) { last = (last * IA + IC) % IM; return max * last / IM; }
struct aminoacids { char c; double p; };
static void make_cumulative(struct aminoacids *g, int n) { double cp = 0; for (int i = 0; i < n; i++) { cp += g[i].p; g[i].p = cp; } }
static void make_random_fasta(const char *id, const char *desc, struct aminoacids *g, int count, int n) {
    char pick[61]; int todo = n;
    printf(">%s %s\n", id, desc);
    while (todo > 0) {
        int m = todo < 60 ? todo : 60;
        for (int i = 0; i < m; i++) { double r = gen_random(1.0); int j = 0; while (j < count - 1 && r >= g[j].p) j++; pick[i] = g[j].c; }
        pick[m] = 0; puts(pick); todo -= m;
    }
}
static void make_repeat_fasta(const char *id, const char *desc, const char *s, int n) {
    char ss[61]; int todo = n, k = 0, sl = (int)strlen(s);
    printf(">%s %s\n", id, desc);
    while (todo > 0) { int m = todo < 60 ? todo : 60; for (int i = 0; i < m; i++) { ss[i] = s[k++]; if (k == sl) k = 0; } ss[m] = 0; puts(ss); todo -= m; }
}
static const char *alu =
"GGCCGGGCGCGGTGGCTCACGCCTGTAATCCCAGCACTTTGG" "GAGGCCGAGGCGGGCGGATCACCTGAGGTCAGGAGTTCGAGA" "CCAGCCTGGCCAACATGGTGAAACCCCGTCTCTACTAAAAAT"
"ACAAAAATTAGCCGGGCGTGGTGGCGCGCGCCTGTAATCCCA" "GCTACTCGGGAGGCTGAGGCAGGAGAATCGCTTGAACCCGGG" "AGGCGGAGGTTGCAGTGAGCCGAGATCGCGCCACTGCACTCC" "AGCCTGGGCGACAGAGCGAGACTCCGTCTCAAAAA";
int main(int argc, char **argv) {
    int n = atoi(argv[1]);
    struct aminoacids iub[] = {{'a',0.27},{'c',0.12},{'g',0.12},{'t',0.27},{'B',0.02},{'D',0.02},{'H',0.02},{'K',0.02},{'M',0.02},{'N',0.02},{'R',0.02},{'S',0.02},{'V',0.02},{'W',0.02},{'Y',0.02}};
    struct aminoacids homo[] = {{'a',0.3029549426680},{'c',0.1979883004921},{'g',0.1975473066391},{'t',0.3015094502008}};
    make_cumulative(iub, 15); make_cumulative(homo, 4);
    make_repeat_fasta("ONE", "Homo sapiens alu", alu, n * 2);
    make_random_fasta("TWO", "IUB ambiguity codes", iub, 15, n * 3);
    make_random_fasta("THREE", "Homo sapiens frequency", homo, 4, n * 5);
    return 0;
}
