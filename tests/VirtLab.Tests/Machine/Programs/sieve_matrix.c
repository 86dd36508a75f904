/* Sieve of Eratosthenes, a matrix multiply and an FNV-1a hash of the results. */
#include "rt.h"
#define LIMIT 20000
#define M 24
static uint8_t composite[LIMIT];
static int32_t A[M][M], B[M][M], C[M][M];
static uint32_t fnv(uint32_t h, uint32_t v) { for (int i = 0; i < 4; i++) { h ^= (v >> (8 * i)) & 0xFF; h *= 16777619u; } return h; }
int main(void)
{
    uint32_t count = 0, h = 2166136261u;
    for (uint32_t i = 2; i < LIMIT; i++) {
        if (composite[i]) continue;
        count++; h = fnv(h, i);
        for (uint32_t j = i * i; j < LIMIT; j += i) composite[j] = 1;
    }
    if (count != 2262) return 1;   /* pi(20000) */
    puthex("primes ", count);
    puthex("primehash ", h);
    for (int i = 0; i < M; i++) for (int j = 0; j < M; j++) { A[i][j] = (i * 31 + j * 17) % 23 - 11; B[i][j] = (i * 7 - j * 13) % 19 + (i ^ j); }
    for (int i = 0; i < M; i++) for (int j = 0; j < M; j++) { int32_t s = 0; for (int k = 0; k < M; k++) s += A[i][k] * B[k][j]; C[i][j] = s; }
    int64_t trace = 0; uint32_t mh = 2166136261u;
    for (int i = 0; i < M; i++) { trace += C[i][i]; for (int j = 0; j < M; j++) mh = fnv(mh, (uint32_t)C[i][j]); }
    puthex("trace ", (uint32_t)trace);
    puthex("matrixhash ", mh);
    int64_t big = (int64_t)C[3][5] * C[7][11] * 12345;   /* mulh/mulhu via 64-bit products */
    puthex("big.lo ", (uint32_t)big);
    puthex("big.hi ", (uint32_t)(big >> 32));
    return 0;
}
