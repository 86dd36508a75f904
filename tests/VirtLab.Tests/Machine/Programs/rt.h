/* Tiny runtime for the differential C programs: HTIF console output and the memory functions gcc may call. */
#include <stdint.h>
#include <stddef.h>
extern volatile uint64_t tohost, fromhost;

static void putch(char c)
{
    volatile uint32_t *t = (volatile uint32_t *)&tohost;
    t[0] = (uint8_t)c;          /* low word first, then the high word hands the command over */
    t[1] = 0x01010000;          /* device 1 (console), command 1 (putchar) */
    while (t[0] != 0 || t[1] != 0) { }
    fromhost = 0;
}

static void puts_(const char *s) { while (*s) putch(*s++); }

static void puthex(const char *label, uint32_t v)
{
    puts_(label);
    for (int i = 28; i >= 0; i -= 4) putch("0123456789abcdef"[(v >> i) & 15]);
    putch('\n');
}

void *memset(void *d, int c, size_t n) { uint8_t *p = d; while (n--) *p++ = (uint8_t)c; return d; }
void *memcpy(void *d, const void *s, size_t n) { uint8_t *p = d; const uint8_t *q = s; while (n--) *p++ = *q++; return d; }
