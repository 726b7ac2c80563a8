// Single-core memory read bandwidth, for benchmarks/scan.sh's "how far from memory
// bandwidth": sums a 1 GiB buffer of 64-bit words, best of 5 passes. Prints GB/s.
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

int main(void) {
    size_t n = (size_t)1 << 27;  // 2^27 words = 1 GiB
    uint64_t *a = malloc(n * sizeof *a);
    if (!a) return 1;
    for (size_t i = 0; i < n; i++) a[i] = i;
    double best = 1e9;
    uint64_t sink = 0;
    for (int pass = 0; pass < 5; pass++) {
        struct timespec t0, t1;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        uint64_t s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        for (size_t i = 0; i < n; i += 4) { s0 += a[i]; s1 += a[i + 1]; s2 += a[i + 2]; s3 += a[i + 3]; }
        clock_gettime(CLOCK_MONOTONIC, &t1);
        sink += s0 + s1 + s2 + s3;
        double s = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
        if (s < best) best = s;
    }
    printf("%.1f\n", (double)(n * sizeof *a) / 1e9 / best);
    return sink == 42;
}
