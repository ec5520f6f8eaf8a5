package example;

import java.nio.file.Path;

import ebnn.api.binary.MemoryPlan;
import ebnn.api.data.Dataset;
import ebnn.api.data.Idx;
import ebnn.api.data.Samples;
import ebnn.api.spi.CompileResult;
import ebnn.embed.Ebnn;

/** java example.ClassifyDigits MODEL DIGITS-FOLDER OUT-FOLDER: classify IDX test digits, plan and generate C for an Arduino Uno. */
public class ClassifyDigits {
    public static void main(String[] args) {
        Ebnn ebnn = Ebnn.create();
        Ebnn.Loaded model = ebnn.load(Path.of(args[0]));

        Dataset digits = Idx.load(Path.of(args[1]), true); // t10k-* files
        byte[] hwc = Samples.chwToHwc(digits.samples(), digits.count(), digits.shape()); // the integer model reads HWC bytes
        int[] classes = model.classify(hwc, digits.count());
        int right = 0;
        for (int i = 0; i < classes.length; i++)
            if (classes[i] == digits.label(i))
                right++;
        System.out.println(right + " of " + digits.count() + " digits right");

        MemoryPlan plan = model.plan("atmega328p");
        System.out.println("atmega328p: flash " + plan.flashBytes() + " B, RAM " + plan.ramBytes() + " B, " + (plan.fits() ? "fits" : "does not fit"));
        CompileResult c = model.compile("c", "atmega328p", Path.of(args[2]));
        System.out.println("wrote " + c.files().size() + " files to " + c.outDir());
    }
}
