/*
 * Popcount kernels compared per core (docs/BENCHMARKS.md, "Cortex-M back end"): each computes
 * sum over 128 rows of popcount(a[k] ^ w[r][k]) for 25-word rows (the 784-input layer of a binary
 * 784-128-10 MLP), between two ebnn_mark() calls, so the insn_count plugin gives the instructions
 * of each method. Exit code 0 if all methods agree.
 *   arm-none-eabi-gcc -mcpu=cortex-m4 -mthumb -O2 -ffreestanding -nostartfiles -nostdlib -T mps2.ld \
 *       startup.c popcount_bench.c -I. -I<dir of ebnn_cm.h> -lgcc -o pc.elf
 */
#include <stdint.h>
#include "semihost.h"
#include "ebnn_cm.h"

#define ROWS 128
#define WORDS 25

static uint32_t act[WORDS];
static uint32_t wts[ROWS][WORDS];

__attribute__((noinline, used)) void ebnn_mark(void) { __asm__ volatile("" ::: "memory"); }

/* 1. libgcc: __builtin_popcount (gcc calls __popcountsi2 on every Cortex-M) */
__attribute__((noinline)) static uint32_t m_builtin(void)
{
    uint32_t t = 0;
    for (int r = 0; r < ROWS; r++)
        for (int k = 0; k < WORDS; k++)
            t += (uint32_t)__builtin_popcount(act[k] ^ wts[r][k]);
    return t;
}

/* 2. SWAR per word, multiply for the final sum (the portable c back end's ebnn_popcount32) */
__attribute__((noinline)) static uint32_t m_swar(void)
{
    uint32_t t = 0;
    for (int r = 0; r < ROWS; r++)
        for (int k = 0; k < WORDS; k++) {
            uint32_t x = act[k] ^ wts[r][k];
            x = x - ((x >> 1) & 0x55555555u);
            x = (x & 0x33333333u) + ((x >> 2) & 0x33333333u);
            x = (x + (x >> 4)) & 0x0f0f0f0fu;
            t += (x * 0x01010101u) >> 24;
        }
    return t;
}

/* 3. byte table (256 entries, flash) */
static const uint8_t tab8[256] = {
#define B2(n) n, n + 1, n + 1, n + 2
#define B4(n) B2(n), B2(n + 1), B2(n + 1), B2(n + 2)
#define B6(n) B4(n), B4(n + 1), B4(n + 1), B4(n + 2)
    B6(0), B6(1), B6(1), B6(2)
};
__attribute__((noinline)) static uint32_t m_table(void)
{
    uint32_t t = 0;
    for (int r = 0; r < ROWS; r++)
        for (int k = 0; k < WORDS; k++) {
            uint32_t x = act[k] ^ wts[r][k];
            t += tab8[x & 255u] + tab8[(x >> 8) & 255u] + tab8[(x >> 16) & 255u] + tab8[x >> 24];
        }
    return t;
}

/* 4. Harley-Seal, 8 words per step (carry-save adders), SWAR popcount of the carries */
#define CSA(h, l, a, b, c) do { uint32_t u_ = (a) ^ (b); h = ((a) & (b)) | (u_ & (c)); l = u_ ^ (c); } while (0)
static inline uint32_t swar(uint32_t x)
{
    x = x - ((x >> 1) & 0x55555555u);
    x = (x & 0x33333333u) + ((x >> 2) & 0x33333333u);
    x = (x + (x >> 4)) & 0x0f0f0f0fu;
    return (x * 0x01010101u) >> 24;
}
__attribute__((noinline)) static uint32_t m_harley_seal(void)
{
    uint32_t t = 0;
    for (int r = 0; r < ROWS; r++) {
        const uint32_t *w = wts[r];
        uint32_t ones = 0, twos = 0, fours = 0, eights = 0, twosA, twosB, foursA, foursB, total = 0;
        int k = 0;
        for (; k + 8 <= WORDS; k += 8) {
            CSA(twosA, ones, ones, act[k] ^ w[k], act[k + 1] ^ w[k + 1]);
            CSA(twosB, ones, ones, act[k + 2] ^ w[k + 2], act[k + 3] ^ w[k + 3]);
            CSA(foursA, twos, twos, twosA, twosB);
            CSA(twosA, ones, ones, act[k + 4] ^ w[k + 4], act[k + 5] ^ w[k + 5]);
            CSA(twosB, ones, ones, act[k + 6] ^ w[k + 6], act[k + 7] ^ w[k + 7]);
            CSA(foursB, twos, twos, twosA, twosB);
            CSA(eights, fours, fours, foursA, foursB);
            total += swar(eights);
        }
        total = 8 * total + 4 * swar(fours) + 2 * swar(twos) + swar(ones);
        for (; k < WORDS; k++)
            total += swar(act[k] ^ w[k]);
        t += total;
    }
    return t;
}

/* 5. the cortex-m back end's kernel: three words per step summed in 4-bit fields (asm on Thumb-2) */
__attribute__((noinline)) static uint32_t m_ebnn_cm(void)
{
    uint32_t t = 0;
    for (int r = 0; r < ROWS; r++) {
        const uint32_t *a = act, *w = wts[r];
#if EBNN_CM_T2
        const uint32_t m1 = 0x55555555u, m2 = 0x33333333u, m4 = 0x0f0f0f0fu;
        uint32_t l = 0;
        for (int g = 0; g < 8; g++)
            ebnn_cm_pop3_t2(&a, &w, &l, m1, m2, m4);
        l += ebnn_cm_pop1(a, w);
#else
        uint32_t l = 0;
        for (int g = 0; g < 8; g++)
            l += ebnn_cm_pop3(a + 3 * g, w + 3 * g);
        l += ebnn_cm_pop1(a + 24, w + 24);
#endif
        t += ebnn_cm_lanes(l);
    }
    return t;
}

int main(void)
{
    uint32_t s = 12345u, v[5];
    for (int k = 0; k < WORDS; k++) {
        s = s * 1103515245u + 12345u;
        act[k] = s;
        for (int r = 0; r < ROWS; r++) {
            s = s * 1103515245u + 12345u;
            wts[r][k] = s ^ (s >> 13);
        }
    }
    ebnn_mark(); v[0] = m_builtin();
    ebnn_mark(); v[1] = m_swar();
    ebnn_mark(); v[2] = m_table();
    ebnn_mark(); v[3] = m_harley_seal();
    ebnn_mark(); v[4] = m_ebnn_cm();
    ebnn_mark();
    for (int i = 1; i < 5; i++)
        if (v[i] != v[0]) {
            sh_write0("popcount methods disagree\n");
            return 1;
        }
    return 0;
}
