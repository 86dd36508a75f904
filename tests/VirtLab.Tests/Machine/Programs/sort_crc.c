/* Sorts pseudo-random arrays (insertion sort and heap sort), checks they agree, and CRC32s the result. */
#include "rt.h"
#define N 600
static uint32_t a[N], b[N];
static uint32_t seed = 12345;
static uint32_t rnd(void) { seed = seed * 1103515245u + 12345u; return seed ^ (seed >> 16); }

static void insertion(uint32_t *x, int n)
{
    for (int i = 1; i < n; i++) { uint32_t v = x[i]; int j = i - 1; while (j >= 0 && (int32_t)x[j] > (int32_t)v) { x[j + 1] = x[j]; j--; } x[j + 1] = v; }
}
static void sift(uint32_t *x, int i, int n)
{
    for (;;) { int l = 2 * i + 1, m = i; if (l < n && (int32_t)x[l] > (int32_t)x[m]) m = l; if (l + 1 < n && (int32_t)x[l + 1] > (int32_t)x[m]) m = l + 1;
               if (m == i) return; uint32_t t = x[i]; x[i] = x[m]; x[m] = t; i = m; }
}
static void heapsort(uint32_t *x, int n)
{
    for (int i = n / 2 - 1; i >= 0; i--) sift(x, i, n);
    for (int e = n - 1; e > 0; e--) { uint32_t t = x[0]; x[0] = x[e]; x[e] = t; sift(x, 0, e); }
}
static uint32_t crc32(const uint8_t *p, size_t n)
{
    uint32_t c = 0xFFFFFFFFu;
    while (n--) { c ^= *p++; for (int k = 0; k < 8; k++) c = (c >> 1) ^ (0xEDB88320u & -(c & 1)); }
    return ~c;
}
int main(void)
{
    uint32_t total = 0;
    for (int round = 0; round < 4; round++) {
        for (int i = 0; i < N; i++) a[i] = b[i] = rnd();
        insertion(a, N); heapsort(b, N);
        for (int i = 0; i < N; i++) if (a[i] != b[i]) return 1;
        for (int i = 1; i < N; i++) if ((int32_t)a[i - 1] > (int32_t)a[i]) return 2;
        uint32_t c = crc32((const uint8_t *)a, sizeof a);
        puthex("crc ", c);
        total ^= c + round;
    }
    if (crc32((const uint8_t *)"123456789", 9) != 0xCBF43926u) return 3;
    puthex("total ", total);
    return 0;
}
