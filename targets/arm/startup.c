/* Bare-metal start-up for the ebnn Cortex-M test images (no vendor SDK): vector table, .data/.bss
 * initialisation, main(), then a semihosting exit carrying main's return value. */
#include <stdint.h>
#include "semihost.h"

extern uint32_t _sidata, _sdata, _edata, _sbss, _ebss, _estack;
int main(void);

void Reset_Handler(void)
{
    uint32_t *src = &_sidata, *dst = &_sdata;
    while (dst < &_edata) *dst++ = *src++;
    for (dst = &_sbss; dst < &_ebss; ) *dst++ = 0;
    sh_exit(main());
}

static void Fault_Handler(void)
{
    sh_write0("ebnn: hard fault\n");
    sh_exit(99);
}

__attribute__((section(".isr_vector"), used))
const void *const vector_table[16] = {
    &_estack, (const void *)Reset_Handler, (const void *)Fault_Handler, (const void *)Fault_Handler,
    (const void *)Fault_Handler, (const void *)Fault_Handler, (const void *)Fault_Handler, 0, 0, 0, 0,
    (const void *)Fault_Handler, (const void *)Fault_Handler, 0, (const void *)Fault_Handler, (const void *)Fault_Handler,
};
