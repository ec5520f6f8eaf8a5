package ebnn.train.impl;

import java.util.List;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

import ebnn.api.EbnnException;
import ebnn.api.data.Dataset;
import ebnn.api.spi.Toolchain;
import ebnn.train.api.Architecture;
import ebnn.train.api.CandidateExecutor;
import ebnn.train.api.DiscoverOptions;
import ebnn.train.api.DiscoverResult;
import ebnn.train.api.TrainListener;
import ebnn.train.api.TrainOptions;
import ebnn.train.api.TrainResult;
import ebnn.train.api.TrainingService;

/** The training service; discover plans memory through the Toolchain service of ebnn.core. */
@Component(service = TrainingService.class)
public class TrainingServiceImpl implements TrainingService {

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile Toolchain toolchain;

    public TrainingServiceImpl() {
    }

    /** Outside OSGi (tests): with a toolchain given directly. */
    public TrainingServiceImpl(Toolchain toolchain) {
        this.toolchain = toolchain;
    }

    @Override
    public List<Architecture> architectures() {
        return Architectures.NAMED;
    }

    @Override
    public TrainResult train(TrainOptions options, Dataset train, Dataset test, TrainListener listener) {
        return Trainer.train(options, train, test, listener);
    }

    @Override
    public void check(TrainOptions options, Dataset train, Dataset test) {
        Trainer.check(options, train, test);
    }

    @Override
    public void checkFits(String arch, Dataset train, Dataset test, ebnn.api.Device device) {
        Toolchain tc = toolchain;
        if (tc == null)
            throw new EbnnException("checking an architecture against a device needs the ebnn Toolchain service (bundle ebnn.core); it is not running");
        ebnn.api.binary.MemoryPlan p = tc.planAsCompiled(tc.lower(Discover.optimistic(arch, train, Trainer.classes(train, test))), device, null);
        if (!p.fits())
            throw new ebnn.train.api.TrainingException(String.format(java.util.Locale.ROOT,
                    "architecture '%s' cannot fit %s: at least %,d B of flash (it has %,d) and %,d B of RAM (it has %,d) before any training; "
                            + "choose a smaller one (ebnn:discover --device %s searches)",
                    arch, device.name(), p.flashBytes(), device.flashBytes(), p.ramBytes(), device.ramBytes(), device.name()));
    }

    @Override
    public DiscoverResult discover(DiscoverOptions options, Dataset train, Dataset test, CandidateExecutor executor, TrainListener listener) {
        Toolchain tc = toolchain;
        if (tc == null)
            throw new EbnnException("discover needs the ebnn Toolchain service (bundle ebnn.core) for memory planning; it is not running");
        // the default code generator's bounds: the numbers ebnn:compile checks, so "fits" here is never refused there
        String generator = tc.defaultGenerator(options.device());
        listener = listener == null ? TrainListener.NONE : listener;
        listener.message("planning with " + (generator == null ? "the planner's estimates (no code generator for " + options.device().name() + ")"
                : "back end " + generator + "'s code and stack bounds (as ebnn:compile --backend " + generator + ")"));
        return new Discover(this, (m, d) -> tc.planAsCompiled(tc.lower(m), d, generator)).run(options, train, test, executor, listener);
    }
}
