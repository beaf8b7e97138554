package fr.passerelle.flow;

import com.fasterxml.uuid.Generators;
import com.fasterxml.uuid.impl.TimeBasedEpochGenerator;

/**
 * Identifiers of new rows: UUIDs of version 7, whose text sorts by creation time. A random UUID
 * (version 4) sends each insert to a random leaf of every index that holds it (the flow's key,
 * its events', its report's, its PJ's), and each commit then rewrites as many index pages as
 * there were rows in its group; time-ordered ids append to the same last leaf. Still 74 random
 * bits each: not guessable from one another.
 */
public final class FlowIds {

    private static final TimeBasedEpochGenerator GENERATOR = Generators.timeBasedEpochGenerator();

    private FlowIds() {
    }

    public static String next() {
        return GENERATOR.generate().toString();
    }
}
