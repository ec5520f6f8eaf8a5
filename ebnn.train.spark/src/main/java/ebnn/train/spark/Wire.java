package ebnn.train.spark;

import java.io.Serializable;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;

import ebnn.api.model.Model;
import ebnn.core.format.EbnnFormat;

/**
 * A record of ebnn's API (TrainOptions, Dataset, Shape, EpochStats), as plain Java-serializable values:
 * the records are not {@link Serializable} (they are OSGi API, not wire types), so a task carries their
 * components and rebuilds them with the canonical constructor. Generic over the components, so a field
 * added to {@code TrainOptions} or {@code TrainResult} travels without a change here. A float-level
 * {@link Model} travels as its .ebnn bytes (lossless). Arrays travel as they are: a broadcast dataset
 * is rebuilt around the executor's copy of its bytes, never copied per task.
 */
final class Wire implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String type;
    private final Object[] values;

    private Wire(String type, Object[] values) {
        this.type = type;
        this.values = values;
    }

    /** A model as the bytes of its .ebnn file. */
    record ModelBytes(byte[] bytes) implements Serializable {
    }

    /** A record as a Wire (nested records and lists of records likewise); other values as they are. */
    static Object freeze(Object v) {
        if (v instanceof Model m)
            return new ModelBytes(EbnnFormat.toBytes(m));
        if (v instanceof Record r) {
            RecordComponent[] cs = r.getClass().getRecordComponents();
            Object[] vs = new Object[cs.length];
            for (int i = 0; i < cs.length; i++) {
                try {
                    vs[i] = freeze(cs[i].getAccessor().invoke(r));
                } catch (IllegalAccessException | InvocationTargetException e) {
                    throw new IllegalStateException("cannot read " + r.getClass().getSimpleName() + "." + cs[i].getName(), e);
                }
            }
            return new Wire(r.getClass().getName(), vs);
        }
        if (v instanceof List<?> l) {
            ArrayList<Object> out = new ArrayList<>(l.size());
            for (Object o : l)
                out.add(freeze(o));
            return out;
        }
        if (v == null || v instanceof Serializable)
            return v;
        throw new IllegalArgumentException("cannot send a " + v.getClass().getSimpleName() + " to a Spark task");
    }

    /** The inverse of {@link #freeze}. */
    static Object thaw(Object v) {
        if (v instanceof ModelBytes m)
            return EbnnFormat.fromBytes(m.bytes());
        if (v instanceof Wire w)
            return w.rebuild();
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>(l.size());
            for (Object o : l)
                out.add(thaw(o));
            return out;
        }
        return v;
    }

    @SuppressWarnings("unchecked")
    static <T> T thaw(Object v, Class<T> type) {
        return (T) thaw(v);
    }

    private Object rebuild() {
        try {
            ClassLoader cl = Thread.currentThread().getContextClassLoader();
            Class<?> c = Class.forName(type, true, cl != null ? cl : Wire.class.getClassLoader());
            RecordComponent[] cs = c.getRecordComponents();
            Class<?>[] types = new Class<?>[cs.length];
            for (int i = 0; i < cs.length; i++)
                types[i] = cs[i].getType();
            if (cs.length != values.length)
                throw new IllegalStateException(type + " has " + cs.length + " components here but " + values.length
                        + " were sent: driver and workers run different ebnn jars");
            Object[] args = new Object[values.length];
            for (int i = 0; i < values.length; i++)
                args[i] = thaw(values[i]);
            Constructor<?> k = c.getDeclaredConstructor(types);
            return k.newInstance(args);
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot rebuild a " + type + " on this worker: " + e, e);
        }
    }
}
