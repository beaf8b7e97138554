package fr.passerelle.pes;

import java.io.IOException;

/** Opens something that may fail with an IOException (a PJ's content, read when the flow is written). */
@FunctionalInterface
public interface IoSupplier<T> {

    T get() throws IOException;
}
