/*
 * ebnn_cm.h tested alone, on each core under qemu (CortexMHeaderTest): every kernel of the header
 * that the core compiles, on the sample's 256 random bytes, against a plain C reference. For check
 * k, scores[k] is the number of mismatches (0 expected); the last score is the number of checks
 * this core compiled, so a check that the preprocessor dropped cannot pass unseen.
 */
#include <stdint.h>
#include "ebnn_rt.h"
#include "ebnn_cm.h"

#define CHECKS 12

static uint32_t word(const uint8_t *in, int i)
{
    return (uint32_t)in[4 * i] | (uint32_t)in[4 * i + 1] << 8 | (uint32_t)in[4 * i + 2] << 16 | (uint32_t)in[4 * i + 3] << 24;
}

static uint32_t pop(uint32_t x)
{
    uint32_t n = 0;
    for (; x; x &= x - 1)
        n++;
    return n;
}

static uint32_t masked_ref(const uint8_t *in, const uint32_t *w, uint32_t n)
{
    uint32_t s = 0, j;
    for (j = 0; j < n; j++)
        if (w[j / 32] >> (j % 32) & 1u)
            s += in[j];
    return s;
}

#if EBNN_CM_T2
/* the row loop with rows of 1, 2, 4, 5 and 10 words (n = 32, 64, 128, 160 and 320 input bits) */
EBNN_CM_ROWS_T2_FN(check_rows1, EBNN_CM_ROW_CLEAR EBNN_CM_ROW_TAIL1, 4, 32, EBNN_CM_ROWS_K(0, 1, 32))
EBNN_CM_ROWS_T2_FN(check_rows2, EBNN_CM_ROW_CLEAR EBNN_CM_ROW_TAIL2, 8, 64, EBNN_CM_ROWS_K(0, 2, 64))
EBNN_CM_ROWS_T2_FN(check_rows4, EBNN_CM_ROW_G3_FIRST EBNN_CM_ROW_TAIL1, 16, 128, EBNN_CM_ROWS_K(1, 1, 128))
EBNN_CM_ROWS_T2_FN(check_rows5, EBNN_CM_ROW_G3_FIRST EBNN_CM_ROW_TAIL2, 20, 160, EBNN_CM_ROWS_K(1, 2, 160))
/* 10 words: three steps and a tail, the middle steps' accumulation too */
EBNN_CM_ROWS_T2_FN(check_rows10, EBNN_CM_ROW_G3_FIRST EBNN_CM_ROW_G3 EBNN_CM_ROW_G3 EBNN_CM_ROW_TAIL1, 40, 320, EBNN_CM_ROWS_K(3, 1, 320))

EBNN_CM_POPS_T2_FN(check_pops4, EBNN_CM_ROW_G3_FIRST EBNN_CM_ROW_TAIL1, 16)
EBNN_CM_POPS_T2_FN(check_pops8, EBNN_CM_ROW_G3_FIRST EBNN_CM_ROW_G3 EBNN_CM_ROW_TAIL2, 32)

/* mismatches of the row accumulators of EBNN_CM_POPS_T2_FN (with DSP K0 - pop, else pop), 12 rows of 4 or 8 words */
static int32_t check_pops(const uint8_t *in, uint32_t words)
{
    uint32_t a[8], w[96], r, k;
    uint16_t cnt[12];
    const uint32_t *pa = a, *pw = w;
    int32_t bad = 0;
    for (k = 0; k < words; k++)
        a[k] = word(in, (int)(50 + k));
    for (k = 0; k < 12 * words; k++)
        w[k] = word(in, (int)(k % 50)) ^ (k / 50 * 0x7f4a7c15u);
    if (words == 4)
        check_pops4(&pa, &pw, cnt, 12);
    else
        check_pops8(&pa, &pw, cnt, 12);
    for (r = 0; r < 12; r++) {
        uint32_t p = 0;
        for (k = 0; k < words; k++)
            p += pop(a[k] ^ w[r * words + k]);
#if EBNN_CM_DSP
        p = (uint32_t)(words == 4 ? EBNN_CM_ROWS_K0(1, 1) : EBNN_CM_ROWS_K0(2, 2)) - p;
#endif
        bad += cnt[r] != p;
    }
    bad += pa != a || pw != w + 12 * words;
    return bad;
}

/* mismatches of rows of `words` words (weights from in, 12 rows), thresholds around the accumulator's range */
static int32_t check_rows(const uint8_t *in, uint32_t words)
{
    uint32_t a[10], w[120], want = 0, got, r, k;
    int16_t t[12];
    const uint32_t *pa = a, *pw = w;
    const int16_t *pt = t;
    int32_t bad = 0;
    for (k = 0; k < words; k++)
        a[k] = word(in, (int)(48 + k));
    for (k = 0; k < 12 * words; k++)
        w[k] = word(in, (int)(k % 60)) ^ (k / 60 * 0x9e3779b9u);
    for (r = 0; r < 12; r++) {
        int32_t acc = 32 * (int32_t)words;
        t[r] = (int16_t)(((int32_t)in[240 + r] - 128) * (int32_t)words / 4);
        for (k = 0; k < words; k++)
            acc -= 2 * (int32_t)pop(a[k] ^ w[r * words + k]);
        want |= (uint32_t)(acc >= t[r]) << r;
    }
    got = words == 1 ? check_rows1(&pa, &pw, &pt, 1u << 11) : words == 2 ? check_rows2(&pa, &pw, &pt, 1u << 11)
        : words == 4 ? check_rows4(&pa, &pw, &pt, 1u << 11) : words == 5 ? check_rows5(&pa, &pw, &pt, 1u << 11)
        : check_rows10(&pa, &pw, &pt, 1u << 11);
    bad += (got >> 20) != want;
    bad += pa != a || pw != w + 12 * words || pt != t + 12;
    return bad;
}
#endif

int ebnn_check(const uint8_t *in, int32_t *scores)
{
    uint32_t a[8], w[8];
    int i, ran = 0;
    for (i = 0; i < CHECKS; i++)
        scores[i] = 0;
    for (i = 0; i < 8; i++) {
        a[i] = word(in, i);
        w[i] = word(in, 8 + i);
    }
    /* 0: pop1/pop2/pop3 as byte lanes, summed by ebnn_cm_lanes */
    {
        uint32_t want1 = pop(a[0] ^ w[0]), want2 = want1 + pop(a[1] ^ w[1]), want3 = want2 + pop(a[2] ^ w[2]);
        scores[0] += ebnn_cm_lanes(ebnn_cm_pop1(a, w)) != want1;
        scores[0] += ebnn_cm_lanes(ebnn_cm_pop2(a, w)) != want2;
        scores[0] += ebnn_cm_lanes(ebnn_cm_pop3(a, w)) != want3;
        ran++;
    }
#if EBNN_CM_T2
    /* 1: the Thumb-2 carry-save step over six words, advancing both pointers */
    {
        const uint32_t *pa = a, *pw = w;
        uint32_t lanes = 0, want = 0;
        for (i = 0; i < 6; i++)
            want += pop(a[i] ^ w[i]);
        ebnn_cm_pop3_t2(&pa, &pw, &lanes, 0x55555555u, 0x33333333u, 0x0f0f0f0fu);
        ebnn_cm_pop3_t2(&pa, &pw, &lanes, 0x55555555u, 0x33333333u, 0x0f0f0f0fu);
        scores[1] += ebnn_cm_lanes(lanes) != want || pa != a + 6 || pw != w + 6;
        ran++;
    }
#endif
    /* 2: masked byte sums of every length 1..96 (reads no byte past in[n]: the bytes sit at the end of a 192-byte copy) */
    {
        uint32_t n;
        for (n = 1; n <= 96; n++) {
            uint8_t buf[192];
            for (i = 0; i < (int)n; i++)
                buf[192 - n + i] = in[64 + i];
            scores[2] += ebnn_cm_masked_sum(buf + 192 - n, w, n) != masked_ref(buf + 192 - n, w, n);
        }
        ran++;
    }
    /* 3: byte sums of every length 0..160 */
    {
        uint32_t n, want = 0;
        for (n = 0; n <= 160; n++) {
            scores[3] += ebnn_cm_byte_sum(in + 32, n) != want;
            if (n < 160)
                want += in[32 + n];
        }
        ran++;
    }
    /* 4: one-channel thresholds, every threshold class, sizes off the 32 grid, word-aligned pixels and not */
    {
        static const int32_t ts[] = { -5, 0, 1, 2, 127, 128, 200, 255, 256 };
        static const uint32_t ns[] = { 1, 31, 32, 33, 100, 200 };
        int t, s, o;
        for (o = 56; o <= 57; o++)
            for (t = 0; t < 9; t++)
                for (s = 0; s < 6; s++) {
                    uint32_t out[8], p;
                    ebnn_cm_threshold(in + o, out, ns[s], ts[t]);
                    for (p = 0; p < ns[s]; p++)
                        scores[4] += (out[p / 32] >> (p % 32) & 1u) != (uint32_t)((int32_t)in[o + p] >= ts[t]);
                    if (ns[s] % 32)
                        scores[4] += (out[ns[s] / 32] >> (ns[s] % 32)) != 0; /* padding bits 0 */
                }
        ran++;
    }
#if EBNN_CM_T1
    /* 5: nibble tables and the masked sums read from them, lengths 1..96 */
    {
        uint32_t n;
        for (n = 1; n <= 96; n++) {
            uint16_t tab[EBNN_CM_NTAB(96u)];
            uint32_t all = ebnn_cm_nibble_table(in + 100, n, tab), want = 0;
            for (i = 0; i < (int)n; i++)
                want += in[100 + i];
            scores[5] += all != want;
            scores[5] += ebnn_cm_masked_sum_tab(w, tab, n) != masked_ref(in + 100, w, n);
        }
        ran++;
    }
    /* 6: the window sum under a filter's bits, three rows of three bytes */
    {
        const uint8_t *q0 = in + 128, *q1 = in + 140, *q2 = in + 152;
        uint32_t k;
        for (k = 0; k < 8; k++) {
            uint32_t wb = w[k] & 0x1ffu, bits = wb, s = 0, t, want = 0;
            int b;
            for (b = 0; b < 9; b++)
                if (bits >> b & 1u)
                    want += (b < 3 ? q0 : b < 6 ? q1 : q2)[b % 3];
            EBNN_CM_T1_TAPS(s, wb, t, q0, q1, q2,
                    EBNN_CM_T1_TAP(q0, 0) EBNN_CM_T1_TAP(q0, 1) EBNN_CM_T1_TAP(q0, 2)
                    EBNN_CM_T1_TAP(q1, 0) EBNN_CM_T1_TAP(q1, 1) EBNN_CM_T1_TAP(q1, 2)
                    EBNN_CM_T1_TAP(q2, 0) EBNN_CM_T1_TAP(q2, 1) EBNN_CM_T1_TAP(q2, 2));
            scores[6] += s != want;
        }
        ran++;
    }
    /* 7: the signed sums of a 3-byte row */
    {
        int16_t e[8];
        int j, b;
        for (i = 0; i < 16; i++) {
            int32_t x[3] = { in[160 + 3 * i], in[161 + 3 * i], in[162 + 3 * i] };
            ebnn_cm_t1_erow3(e, x[0], x[1], x[2]);
            for (j = 0; j < 8; j++) {
                int32_t want = 0;
                for (b = 0; b < 3; b++)
                    want += (j >> b & 1) ? x[b] : -x[b];
                scores[7] += e[j] != want;
            }
        }
        ran++;
    }
    /* 8: filter bits from row tables: 12 filters of 3 rows (op moved past ldrb's reach), v = complements, last filter at bit 0 */
    {
        int16_t e[48]; /* 3 rows x 16 entries */
        uint8_t off[36];
        int32_t bound[12];
        int o, r;
        uint32_t v = 0, want = 0, s, t;
        for (i = 0; i < 48; i++)
            e[i] = (int16_t)((int32_t)in[i] * 37 - 4700);
        for (o = 0; o < 12; o++) {
            int32_t sum = 0;
            for (r = 0; r < 3; r++) {
                int j = in[200 + o * 3 + r] & 15;
                off[o * 3 + r] = (uint8_t)(2 * (16 * r + j));
                sum += e[16 * r + j];
            }
            bound[o] = (int32_t)in[240 + o] * 40 - 5000;
            if (sum < bound[o])
                want |= 1u << o;
        }
        {
            const uint8_t *op = off, *eb = (const uint8_t *)e;
            const int32_t *bp = bound;
            EBNN_CM_T1_FILTERS(v, s, t, op, eb, bp,
                    EBNN_CM_T1_OP_ADD(4) EBNN_CM_T1_ROW0(29) EBNN_CM_T1_ROW(30) EBNN_CM_T1_ROW(31) EBNN_CM_T1_BIT(44)
                    EBNN_CM_T1_ROW0(26) EBNN_CM_T1_ROW(27) EBNN_CM_T1_ROW(28) EBNN_CM_T1_BIT(40)
                    EBNN_CM_T1_OP_SUB(4) EBNN_CM_T1_ROW0(27) EBNN_CM_T1_ROW(28) EBNN_CM_T1_ROW(29) EBNN_CM_T1_BIT(36)
                    EBNN_CM_T1_ROW0(24) EBNN_CM_T1_ROW(25) EBNN_CM_T1_ROW(26) EBNN_CM_T1_BIT(32)
                    EBNN_CM_T1_ROW0(21) EBNN_CM_T1_ROW(22) EBNN_CM_T1_ROW(23) EBNN_CM_T1_BIT(28)
                    EBNN_CM_T1_ROW0(18) EBNN_CM_T1_ROW(19) EBNN_CM_T1_ROW(20) EBNN_CM_T1_BIT(24)
                    EBNN_CM_T1_ROW0(15) EBNN_CM_T1_ROW(16) EBNN_CM_T1_ROW(17) EBNN_CM_T1_BIT(20)
                    EBNN_CM_T1_ROW0(12) EBNN_CM_T1_ROW(13) EBNN_CM_T1_ROW(14) EBNN_CM_T1_BIT(16)
                    EBNN_CM_T1_ROW0(9) EBNN_CM_T1_ROW(10) EBNN_CM_T1_ROW(11) EBNN_CM_T1_BIT(12)
                    EBNN_CM_T1_ROW0(6) EBNN_CM_T1_ROW(7) EBNN_CM_T1_ROW(8) EBNN_CM_T1_BIT(8)
                    EBNN_CM_T1_ROW0(3) EBNN_CM_T1_ROW(4) EBNN_CM_T1_ROW(5) EBNN_CM_T1_BIT(4)
                    EBNN_CM_T1_ROW0(0) EBNN_CM_T1_ROW(1) EBNN_CM_T1_ROW(2) EBNN_CM_T1_BIT(0));
            (void)op;
        }
        scores[8] += (v & 0xfffu) != want;
        ran++;
    }
#endif
    /* 9: two-accumulator masked sums (EBNN_CM_MSUM2) of 1..256 words, the lanes' limit at 256 (all-255 sample) */
    {
        uint32_t e = 0, o = 0, want = 0, k;
        for (k = 0; k < 256; k++) {
            const uint32_t x = word(in, (int)(k % 64)), m = word(in, (int)((k * 7 + 3) % 64)) | (k % 5 == 0 ? 0xffffffffu : 0u), y = x & m;
            EBNN_CM_MSUM2(e, o, x, m);
            want += (y & 255u) + (y >> 8 & 255u) + (y >> 16 & 255u) + (y >> 24);
            scores[9] += ebnn_cm_msum2_value(e, o) != want;
        }
        (void)o;
        ran++;
    }
#if EBNN_CM_T2
    /* 10: the Thumb-2 row loops (EBNN_CM_ROWS_T2_FN, EBNN_CM_POPS_T2_FN) against the reference, pointers advanced */
    scores[10] = check_rows(in, 1) + check_rows(in, 2) + check_rows(in, 4) + check_rows(in, 5) + check_rows(in, 10)
        + check_pops(in, 4) + check_pops(in, 8);
    ran++;
#endif
    scores[CHECKS - 1] = ran;
    return 0;
}
