/* ARM semihosting, the few calls the test images need (qemu: -semihosting-config enable=on). */
#ifndef EBNN_SEMIHOST_H
#define EBNN_SEMIHOST_H
#include <stdint.h>

static inline int sh_call(int op, const void *arg)
{
    register int r0 __asm__("r0") = op;
    register const void *r1 __asm__("r1") = arg;
    __asm__ volatile("bkpt 0xab" : "+r"(r0) : "r"(r1) : "memory");
    return r0;
}

static inline void sh_write0(const char *s) { sh_call(0x04, s); }

/* SYS_EXIT_EXTENDED (0x20): qemu turns the code into its own exit status. */
__attribute__((noreturn)) static inline void sh_exit(int code)
{
    uint32_t block[2] = { 0x20026u /* ADP_Stopped_ApplicationExit */, (uint32_t)code };
    sh_call(0x20, block);
    for (;;) { }
}

/* Decimal without printf (keeps the image free of newlib's formatted I/O). */
static inline void sh_put_int(int32_t v)
{
    char buf[13];
    int i = 12;
    uint32_t u = v < 0 ? (uint32_t)0 - (uint32_t)v : (uint32_t)v;
    buf[i] = 0;
    do { buf[--i] = (char)('0' + u % 10u); u /= 10u; } while (u);
    if (v < 0) buf[--i] = '-';
    sh_write0(&buf[i]);
}
#endif
