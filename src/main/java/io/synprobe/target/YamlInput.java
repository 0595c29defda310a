package io.synprobe.target;

import java.io.StringReader;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Node;

/**
 * A YAML input file (check files, serve configs) read safely into nodes that keep their line numbers: no
 * duplicate keys, few aliases, a size limit. A problem says on which line it is.
 */
public final class YamlInput {
    /** What is wrong with the file, and the 1-based line where it is. */
    public static final class Problem extends RuntimeException {
        public final int line;

        Problem(int line, String message) {
            super(message);
            this.line = line;
        }
    }

    private YamlInput() {
    }

    /** @return the document's root node, or null for an empty document */
    public static Node compose(String yaml, int maxBytes) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        options.setMaxAliasesForCollections(20);
        options.setCodePointLimit(maxBytes);
        try {
            return new Yaml(new SafeConstructor(options)).compose(new StringReader(yaml));
        } catch (MarkedYAMLException e) {
            int line = e.getProblemMark() != null ? e.getProblemMark().getLine() + 1 : 1;
            throw new Problem(line, "invalid YAML: " + e.getProblem());
        } catch (YAMLException e) {
            throw new Problem(1, "invalid YAML: " + e.getMessage());
        }
    }
}
