package ebnn.api.spi;

import java.util.List;

import ebnn.api.model.Model;

/**
 * An imported model and what the importer did, one line per recognised node group
 * (e.g. "MatMul_0 + MultiThreshold_1 -> dense 'fc1' + sign") and per dropped node.
 */
public record ImportResult(Model model, List<String> report) {
    public ImportResult {
        report = List.copyOf(report);
    }
}
