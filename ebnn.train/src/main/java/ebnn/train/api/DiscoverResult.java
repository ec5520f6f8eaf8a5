package ebnn.train.api;

import java.util.List;

import ebnn.api.Device;
import ebnn.api.model.Model;

/**
 * What discover found.
 *
 * @param candidates every candidate, in enumeration order
 * @param best       the trained candidate with the highest validation accuracy (fewest bytes on a tie), or null
 * @param bestModel  its model, or null; it fits {@code device}
 * @param svg        the accuracy / memory plot (SVG text)
 */
public record DiscoverResult(Device device, List<Candidate> candidates, Candidate best, Model bestModel, String svg) {
    public DiscoverResult {
        candidates = List.copyOf(candidates);
    }

    public List<Candidate> pareto() {
        return candidates.stream().filter(Candidate::pareto).toList();
    }
}
