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
/* SYS_OPEN (0x01): a host file, relative to qemu's working directory; mode 1 = "rb". Returns a handle or -1. */
static inline int sh_open(const char *name, int mode)
{
    uint32_t len = 0;
    while (name[len]) len++;
    uint32_t block[3] = { (uint32_t)name, (uint32_t)mode, len };
    return sh_call(0x01, block);
}

/* SYS_READ (0x06): returns the number of bytes NOT read (0 = all read). */
static inline int sh_read(int handle, void *buf, uint32_t len)
{
    uint32_t block[3] = { (uint32_t)handle, (uint32_t)buf, len };
    return sh_call(0x06, block);
}

/* SYS_CLOSE (0x02) */
static inline int sh_close(int handle)
{
    uint32_t block[1] = { (uint32_t)handle };
    return sh_call(0x02, block);
}
#endif
