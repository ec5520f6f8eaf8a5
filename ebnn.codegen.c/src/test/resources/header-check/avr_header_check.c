/*
 * ebnn_rt.h's AVR assembly tested alone under simavr (AvrHeaderTest): each kernel on the sample's
 * 128 random activation bytes and fixed random weights in flash (5 rows of 40 bytes), against a
 * plain C reference. For check k, scores[k] is the number of mismatches (0 expected); the class
 * is the number of checks run.
 */
#include <stdint.h>
#include "ebnn_rt.h"

#define CHECKS 8

static const uint8_t W[200] PROGMEM = {
    0x5c, 0x3e, 0xe5, 0xab, 0x7a, 0x65, 0xfa, 0xfc, 0x5d, 0xf5, 0x97, 0xea, 0x87, 0x64, 0x81, 0x3c, 0xa6, 0x59, 0x78, 0x56,
    0x79, 0x66, 0xbb, 0x67, 0xfc, 0x6e, 0x99, 0x87, 0x03, 0xaf, 0xcf, 0x70, 0xcf, 0xb1, 0x8b, 0x8a, 0x9b, 0x3a, 0x90, 0xf4,
    0x4a, 0xfd, 0x52, 0x61, 0x69, 0xdf, 0x43, 0xd0, 0xf5, 0x33, 0x67, 0x84, 0xad, 0xf0, 0x2d, 0xfb, 0x4b, 0xf4, 0x4d, 0xfa,
    0x28, 0x7f, 0x2f, 0xb4, 0x68, 0xc9, 0x03, 0x44, 0x2c, 0xf4, 0xcc, 0xcf, 0x5c, 0xc5, 0xd5, 0x42, 0x8a, 0xcb, 0xb8, 0x49,
    0xab, 0xad, 0x9a, 0x40, 0xde, 0x09, 0xd8, 0x4a, 0x53, 0xda, 0x02, 0xea, 0x33, 0x04, 0x83, 0xd8, 0xce, 0xf5, 0xf1, 0xd4,
    0x4d, 0x73, 0x58, 0x5a, 0xbc, 0x98, 0xfd, 0x1d, 0x2f, 0xb4, 0x5b, 0x4d, 0x6c, 0x86, 0x27, 0x53, 0x76, 0x42, 0x99, 0x36,
    0xbf, 0x21, 0xb7, 0xa8, 0x2d, 0x88, 0xb1, 0x57, 0xcb, 0xd0, 0xd1, 0x05, 0x8b, 0xde, 0x17, 0x83, 0xcd, 0x8c, 0x2d, 0x6e,
    0x91, 0x53, 0xbf, 0x45, 0xe0, 0x2d, 0x36, 0xa7, 0x85, 0xee, 0x2d, 0x70, 0x26, 0xef, 0xa1, 0x53, 0x2f, 0x70, 0xba, 0xfb,
    0xc2, 0xce, 0x9d, 0xe9, 0x0a, 0x61, 0x68, 0x08, 0x2a, 0xcb, 0xba, 0x21, 0x06, 0x8f, 0x6d, 0x7e, 0x47, 0xa0, 0x09, 0x42,
    0x75, 0xe4, 0x8d, 0x08, 0xd9, 0x55, 0x89, 0xd4, 0x46, 0xff, 0x7c, 0x8c, 0xf3, 0x1f, 0xb3, 0x1c, 0xe8, 0x95, 0x92, 0x07
};
static const uint8_t POP_FLASH[256] PROGMEM EBNN_ALIGN256 = { 0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4, 1, 2, 2, 3, 2, 3, 3, 4, 2, 3, 3, 4, 3, 4, 4, 5, 1, 2, 2, 3, 2, 3, 3, 4, 2, 3, 3, 4, 3, 4, 4, 5, 2, 3, 3, 4, 3, 4, 4, 5, 3, 4, 4, 5, 4, 5, 5, 6, 1, 2, 2, 3, 2, 3, 3, 4, 2, 3, 3, 4, 3, 4, 4, 5, 2, 3, 3, 4, 3, 4, 4, 5, 3, 4, 4, 5, 4, 5, 5, 6, 2, 3, 3, 4, 3, 4, 4, 5, 3, 4, 4, 5, 4, 5, 5, 6, 3, 4, 4, 5, 4, 5, 5, 6, 4, 5, 5, 6, 5, 6, 6, 7, 1, 2, 2, 3, 2, 3, 3, 4, 2, 3, 3, 4, 3, 4, 4, 5, 2, 3, 3, 4, 3, 4, 4, 5, 3, 4, 4, 5, 4, 5, 5, 6, 2, 3, 3, 4, 3, 4, 4, 5, 3, 4, 4, 5, 4, 5, 5, 6, 3, 4, 4, 5, 4, 5, 5, 6, 4, 5, 5, 6, 5, 6, 6, 7, 2, 3, 3, 4, 3, 4, 4, 5, 3, 4, 4, 5, 4, 5, 5, 6, 3, 4, 4, 5, 4, 5, 5, 6, 4, 5, 5, 6, 5, 6, 6, 7, 3, 4, 4, 5, 4, 5, 5, 6, 4, 5, 5, 6, 5, 6, 6, 7, 4, 5, 5, 6, 5, 6, 6, 7, 5, 6, 6, 7, 6, 7, 7, 8 };
static uint8_t pop_ram[256] EBNN_ALIGN256;

static uint8_t pop(uint8_t x)
{
    uint8_t n = 0;
    for (; x; x &= (uint8_t)(x - 1))
        n++;
    return n;
}

static uint16_t row_ref(const uint8_t *a, uint8_t row, uint8_t from, uint8_t n)
{
    uint16_t s = 0;
    uint8_t k;
    for (k = 0; k < n; k++)
        s += pop((uint8_t)(a[k] ^ pgm_read_byte(&W[40 * row + from + k])));
    return s;
}

/* each kernel in its own function, as in the generated block functions; segment widths 20 (all 22 operand registers), 13, 8 */
__attribute__((noinline)) static void rows20(const uint8_t *a, const uint8_t *w, uint8_t rows, uint16_t *cnt)
{
    EBNN_XORPOP_ROWS_AVR(20, a, w, 40 - 20, rows, cnt, pop_ram);
}

__attribute__((noinline)) static void rows13(const uint8_t *a, const uint8_t *w, uint8_t rows, uint16_t *cnt)
{
    EBNN_XORPOP_ROWS_AVR(13, a, w, 40 - 13, rows, cnt, pop_ram);
}

__attribute__((noinline)) static void rows8(const uint8_t *a, const uint8_t *w, uint8_t rows, uint16_t *cnt)
{
    EBNN_XORPOP_ROWS_AVR(8, a, w, 40 - 8, rows, cnt, pop_ram);
}

__attribute__((noinline)) static void rows16_one(const uint8_t *a, const uint8_t *w, uint16_t *cnt)
{
    EBNN_XORPOP_ROWS_AVR(16, a, w, 0, 1, cnt, pop_ram);
}

__attribute__((noinline)) static void rows20_set(const uint8_t *a, const uint8_t *w, uint8_t rows, uint16_t *cnt)
{
    EBNN_XORPOP_ROWS_SET_AVR(20, a, w, 40 - 20, rows, cnt, pop_ram);
}

__attribute__((noinline)) static uint16_t run_ram(const uint8_t *a, const uint8_t *w, uint8_t n)
{
    uint16_t c;
    EBNN_XORPOP_RAM_AVR(c, a, w, n, pop_ram);
    return c;
}

int ebnn_check(const uint8_t *in, int32_t *scores)
{
    uint8_t r, k;
    int ran = 0;
    for (k = 0; k < CHECKS; k++)
        scores[k] = 0;
    for (k = 0; k < 255; k++)
        pop_ram[k] = pop(k);
    pop_ram[255] = 8;
    /* 0, 1: one row at a time, flash table: two 16-byte steps, one 8-byte step */
    for (r = 0; r < 5; r++) {
        scores[0] += ebnn_xorpop16_avr(in, &W[40 * r], 2, (uint8_t)((uint16_t)POP_FLASH >> 8)) != row_ref(in, r, 0, 32);
        scores[1] += ebnn_xorpop8_avr(in + 32, &W[40 * r + 32], 1, (uint8_t)((uint16_t)POP_FLASH >> 8)) != row_ref(in + 32, r, 32, 8);
    }
    ran += 2;
    /* 2, 3: rows interleaved, RAM table: all 5 rows over the 20-byte segment at 0, then the 13-byte segment at 20 and the
       8-byte segment at 32, counts accumulated (65000: the carry into the high byte) */
    {
        uint16_t cnt[5] = { 7, 0, 300, 1, 65000u };
        uint16_t want[5];
        for (r = 0; r < 5; r++)
            want[r] = (uint16_t)(cnt[r] + row_ref(in, r, 0, 20));
        rows20(in, &W[0], 5, cnt);
        for (r = 0; r < 5; r++)
            scores[2] += cnt[r] != want[r];
        /* the first segment sets the counts, whatever they held */
        rows20_set(in + 20, &W[20], 5, cnt);
        for (r = 0; r < 5; r++)
            scores[2] += cnt[r] != row_ref(in + 20, r, 20, 20);
        for (r = 0; r < 5; r++)
            cnt[r] = (uint16_t)(r == 4 ? 65000u : 7 * r);
        for (r = 0; r < 5; r++)
            want[r] = (uint16_t)(cnt[r] + row_ref(in + 20, r, 20, 13) + row_ref(in + 32, r, 32, 8));
        rows13(in + 20, &W[20], 5, cnt);
        rows8(in + 32, &W[32], 5, cnt);
        for (r = 0; r < 5; r++)
            scores[3] += cnt[r] != want[r];
        ran += 2;
    }
    /* 4: one row through the interleaved kernel (rows = 1) */
    {
        uint16_t one = 0;
        rows16_one(in + 48, &W[40 * 3], &one);
        scores[4] += one != row_ref(in + 48, 3, 0, 16);
        ran++;
    }
    /* 5: one-channel thresholds, 8 pixels per output byte, thresholds 1..255 */
    {
        static const uint8_t ts[] = { 1, 2, 100, 128, 200, 255 };
        uint8_t out[16], t, p;
        for (t = 0; t < sizeof ts; t++) {
            ebnn_thr8_avr(in, out, 16, ts[t]);
            for (p = 0; p < 128; p++)
                scores[5] += ((out[p / 8] >> (p % 8)) & 1) != (in[p] >= ts[t]);
        }
        ran++;
    }
    /* 6, 7: runs of any length 1..40 (4-byte steps and single bytes), flash table and SRAM table */
    for (k = 1; k <= 40; k++) {
        r = (uint8_t)(k % 5);
        scores[6] += ebnn_xorpop_flash_avr(in + k, &W[40 * r], k, (uint8_t)((uint16_t)POP_FLASH >> 8)) != row_ref(in + k, r, 0, k);
        scores[7] += run_ram(in + k, &W[40 * r], k) != row_ref(in + k, r, 0, k);
    }
    ran += 2;
    return ran;
}
