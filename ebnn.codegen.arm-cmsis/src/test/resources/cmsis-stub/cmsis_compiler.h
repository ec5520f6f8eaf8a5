/*
 * Test stand-in for CMSIS's cmsis_compiler.h (CMSIS cannot be installed here): the three SIMD
 * intrinsics ebnn_cm.h takes from CMSIS under -DEBNN_USE_CMSIS, with CMSIS's names and
 * semantics, implemented here on gcc's ACLE. EBNN_TEST_CMSIS_STUB lets the test see it was used.
 */
#ifndef EBNN_TEST_CMSIS_COMPILER_H
#define EBNN_TEST_CMSIS_COMPILER_H
#define EBNN_TEST_CMSIS_STUB 1
#include <stdint.h>
#if defined(__ARM_FEATURE_SIMD32)
#include <arm_acle.h>
#define __USADA8(x, y, z) __usada8((x), (y), (z))
#define __USUB8(x, y) __usub8((x), (y))
#define __SEL(x, y) __sel((x), (y))
#endif
#endif
