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
    public DiscoverResult discover(DiscoverOptions options, Dataset train, Dataset test, CandidateExecutor executor, TrainListener listener) {
        Toolchain tc = toolchain;
        if (tc == null)
            throw new EbnnException("discover needs the ebnn Toolchain service (bundle ebnn.core) for memory planning; it is not running");
        return new Discover(this, (m, d) -> tc.plan(tc.lower(m), d)).run(options, train, test, executor, listener);
    }
}
