/* Division-heavy code: gcd, base conversion, and the spec's corner cases of div/rem (via volatile operands). */
#include "rt.h"
static uint32_t gcd(uint32_t a, uint32_t b) { while (b) { uint32_t t = a % b; a = b; b = t; } return a; }
static volatile int32_t vzero = 0, vminus1 = -1, vmin = INT32_MIN, v7 = 7;
int main(void)
{
    uint32_t h = 0, x = 987654321u;
    for (int i = 1; i < 3000; i++) {
        x = x * 1664525u + 1013904223u;
        uint32_t y = (x >> 7) % (uint32_t)(i * 37 + 1) + 1;
        h = h * 31 + gcd(x, y) + x / y + x % y;
        int32_t s = (int32_t)x, t = (int32_t)(y | 1) * ((i & 1) ? -1 : 1);
        h ^= (uint32_t)(s / t) + (uint32_t)(s % t);
    }
    puthex("mix ", h);
    uint32_t digits = 0;
    for (uint32_t n = 4000000000u; n; n /= 10) digits = digits * 3 + n % 10;
    puthex("digits ", digits);
    int32_t q;
    __asm__ volatile ("div %0, %1, %2" : "=r"(q) : "r"(v7), "r"(vzero));      if (q != -1) return 1;
    __asm__ volatile ("rem %0, %1, %2" : "=r"(q) : "r"(v7), "r"(vzero));      if (q != 7) return 2;
    __asm__ volatile ("div %0, %1, %2" : "=r"(q) : "r"(vmin), "r"(vminus1));  if (q != INT32_MIN) return 3;
    __asm__ volatile ("rem %0, %1, %2" : "=r"(q) : "r"(vmin), "r"(vminus1));  if (q != 0) return 4;
    __asm__ volatile ("divu %0, %1, %2" : "=r"(q) : "r"(v7), "r"(vzero));     if (q != -1) return 5;
    __asm__ volatile ("remu %0, %1, %2" : "=r"(q) : "r"(v7), "r"(vzero));     if (q != 7) return 6;
    return 0;
}
