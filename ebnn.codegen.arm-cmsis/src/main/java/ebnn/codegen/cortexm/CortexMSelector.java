package ebnn.codegen.cortexm;

import java.util.ArrayList;
import java.util.List;

import ebnn.api.binary.Block;
import ebnn.api.binary.ConvBlock;
import ebnn.api.binary.DenseBlock;
import ebnn.api.binary.InputThresholdBlock;
import ebnn.api.binary.MemoryPlan;
import ebnn.api.binary.Packing;
import ebnn.codegen.c.gen.BlockKernel;
import ebnn.codegen.c.gen.ConvKernel;
import ebnn.codegen.c.gen.DenseKernel;
import ebnn.codegen.c.gen.KernelSelector;
import ebnn.codegen.c.gen.ModelSource;
import ebnn.codegen.c.gen.PortableKernels;

/**
 * The Cortex-M back end's one kernel selector: its own kernels (C functions and asm macros in
 * {@code ebnn_cm.h}: {@link CortexMKernels}, and on Thumb-2 cores {@link DenseBitsRows},
 * {@link DenseBitsScores} and {@link ConvWindowWords}, each with its own bounds) first, then the
 * portable kernels for the remaining blocks, those with the Cortex-M bounds below. The bounds were measured on the paper-shaped models (arm-none-eabi-gcc
 * -O2 -fstack-usage, largest on Thumb-1, M0) with some room:
 * <ul>
 * <li>stack: entry frame 16 + block frame up to 192 (callee-saved registers and spills; Thumb-1
 * spills most: 184 B measured for bmlp-128) + helper 32 + libgcc 16 = {@value #STACK_BASE} B, plus a
 * conv block's per-filter row masks (two per row without DSP), filter bits and bounds, plus on M0 the
 * conv row tables or a byte-input dense block's nibble tables (32 B per four inputs);</li>
 * <li>code: the runtime and entry point {@value #CODE_BASE} B, {@value #CODE_BLOCK} B per block, a
 * conv {@value #CODE_CONV} B + {@value #CODE_PER_FILTER_ROW} B per filter row (the filters are
 * unrolled), a binary dense block + {@value #CODE_PER_3_WORDS} B per three words of its unrolled row
 * (~140 B per three words on Thumb-1, ~30 B per filter row).</li>
 * </ul>
 */
final class CortexMSelector {
    static final long STACK_BASE = 256;
    static final long CODE_BASE = 512, CODE_BLOCK = 640, CODE_CONV = 1024, CODE_PER_FILTER_ROW = 40, CODE_PER_3_WORDS = 160;

    private CortexMSelector() {
    }

    static long convStack(ConvBlock c) {
        return STACK_BASE + 4L * c.outChannels() * (2 * c.kernelH() + 2);
    }

    static long convCode(ConvBlock c) {
        return CODE_CONV + CODE_PER_FILTER_ROW * c.outChannels() * c.kernelH();
    }

    /** One-channel input thresholds: four pixels per {@code __usub8}/{@code __sel} on DSP cores, SWAR or Thumb-1 asm elsewhere. */
    static final BlockKernel THRESHOLD = new BlockKernel() {
        @Override
        public String id() {
            return "cm-threshold";
        }

        @Override
        public boolean applies(MemoryPlan plan, Block b) {
            return b instanceof InputThresholdBlock t && t.inputShape().channels() == 1;
        }

        @Override
        public void emit(ModelSource src, int i, Block b, String sig, StringBuilder sb) {
            sb.append(CortexMKernels.inputThresholdBlock(src, i, (InputThresholdBlock) b, sig));
        }

        @Override
        public long stackBytes(MemoryPlan plan, Block b) {
            return STACK_BASE;
        }

        @Override
        public long codeBytes(MemoryPlan plan, Block b) {
            return CODE_BLOCK;
        }
    };

    /** Binary dense rows: popcounts of three words at a time in 4-bit fields and byte lanes, straight-line per row. */
    static final class DenseBits extends DenseKernel.OnBits {
        @Override
        public String id() {
            return "cm-dense-bits";
        }

        @Override
        protected void popcount(ModelSource src, int i, DenseBlock dn, int words, String popType, StringBuilder sb) {
            sb.append(CortexMKernels.xorPopcount(words, popType));
        }

        @Override
        public long stackBytes(MemoryPlan plan, Block b) {
            return STACK_BASE;
        }

        @Override
        public long codeBytes(MemoryPlan plan, Block b) {
            return CODE_BLOCK + CODE_PER_3_WORDS * (Packing.streamBytes(((DenseBlock) b).inputs(), 32) / 12);
        }
    }

    /** Byte-input dense rows: masked byte sums (16-entry mask table, {@code __usada8} on DSP cores); on M0 through nibble tables where they fit. */
    static final class DenseBytes extends DenseKernel.OnBytes {
        private final boolean nibbles;

        DenseBytes(boolean nibbles) {
            this.nibbles = nibbles;
        }

        @Override
        public String id() {
            return nibbles ? "cm-dense-bytes-nibbles" : "cm-dense-bytes";
        }

        @Override
        protected boolean fits(MemoryPlan plan, DenseBlock d) {
            return CortexMKernels.nibbleTables(plan, d) == nibbles;
        }

        @Override
        protected void byteSum(ModelSource src, int i, DenseBlock dn, StringBuilder sb) {
            sb.append(CortexMKernels.byteSum(src, dn));
        }

        @Override
        protected void maskedByteSum(ModelSource src, int i, DenseBlock dn, int words, StringBuilder sb) {
            sb.append(CortexMKernels.maskedByteSum(src, dn, words));
        }

        @Override
        public long stackBytes(MemoryPlan plan, Block b) {
            return STACK_BASE + (nibbles ? CortexMKernels.nibbleTableBytes((DenseBlock) b) : 0);
        }

        @Override
        public long codeBytes(MemoryPlan plan, Block b) {
            return CODE_BLOCK;
        }
    }

    /**
     * Byte-input conv on the window's rows (rows of at most 4 bytes, at most 32 taps and filters):
     * per conv position the rows are loaded once and every filter's masked sum taken from them; on M0
     * with {@code tables} the rows' signed subset sums shared by the filters.
     */
    static final class ConvRows implements BlockKernel {
        private final boolean tables;

        ConvRows(boolean tables) {
            this.tables = tables;
        }

        @Override
        public String id() {
            return tables ? "cm-conv-bytes-tables" : "cm-conv-bytes-rows";
        }

        @Override
        public boolean applies(MemoryPlan plan, Block b) {
            return b instanceof ConvBlock c && CortexMKernels.convRows(plan, c) && CortexMKernels.convTables(plan, c) == tables;
        }

        @Override
        public void emit(ModelSource src, int i, Block b, String sig, StringBuilder sb) {
            ConvBlock c = (ConvBlock) b;
            // the portable register-mask accumulator first: the border windows (or a byte offset) use it
            String acc = ConvKernel.MASK.accumulator(src, i, c, sb);
            sb.append(tables ? CortexMKernels.convTablesM0(src, i, c, sig, acc) : CortexMKernels.convBlock(src, i, c, sig, acc));
        }

        @Override
        public long stackBytes(MemoryPlan plan, Block b) {
            ConvBlock c = (ConvBlock) b;
            return convStack(c) + (tables ? CortexMKernels.convTableBytes(c) : 0);
        }

        @Override
        public long codeBytes(MemoryPlan plan, Block b) {
            return convCode((ConvBlock) b);
        }
    }

    /** A portable kernel with this back end's bounds. */
    private static BlockKernel portable(BlockKernel k) {
        return new BlockKernel() {
            @Override
            public String id() {
                return k.id();
            }

            @Override
            public boolean applies(MemoryPlan plan, Block b) {
                return k.applies(plan, b);
            }

            @Override
            public void emit(ModelSource src, int i, Block b, String sig, StringBuilder sb) {
                k.emit(src, i, b, sig, sb);
            }

            @Override
            public long stackBytes(MemoryPlan plan, Block b) {
                return b instanceof ConvBlock c ? convStack(c) : STACK_BASE;
            }

            @Override
            public long codeBytes(MemoryPlan plan, Block b) {
                return b instanceof ConvBlock c ? convCode(c) : CODE_BLOCK;
            }

            @Override
            public boolean usesPopcountTable(MemoryPlan plan, Block b) {
                return k.usesPopcountTable(plan, b);
            }
        };
    }

    static final KernelSelector SELECTOR = selector();

    private static KernelSelector selector() {
        List<BlockKernel> k = new ArrayList<>(List.of(THRESHOLD, DenseBitsRows.KERNEL, DenseBitsScores.KERNEL, new DenseBits(), new DenseBytes(true), new DenseBytes(false), new ConvRows(true),
                new ConvRows(false), ConvWindowWords.KERNEL));
        for (BlockKernel p : PortableKernels.KERNELS)
            k.add(portable(p));
        return new KernelSelector("ebnn Cortex-M back end", k, "#include \"" + CortexMBackend.KERNEL_HEADER + "\"\n", " EBNN_BUFFER_SECTION",
                "weights and thresholds const (.rodata, flash); activation buffers in EBNN_BUFFER_SECTION (default section .bss.ebnn_buffers)",
                CODE_BASE);
    }
}
