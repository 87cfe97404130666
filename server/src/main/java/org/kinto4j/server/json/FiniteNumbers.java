package org.kinto4j.server.json;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NumericNode;
import com.fasterxml.jackson.databind.node.ValueNode;

/**
 * The JSON node factory of the server: a number a double cannot hold ({@code 1e400}) is refused
 * with {@link NumberTooBig} instead of becoming {@code Infinity}, which is not JSON and would be
 * stored as the string "Infinity".
 */
final class FiniteNumbers extends JsonNodeFactory {

    private static final long serialVersionUID = 1L;

    /** A number too big to be stored in a double. */
    static final class NumberTooBig extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        NumberTooBig() {
            super("Number too big to be stored in double.");
        }
    }

    FiniteNumbers() {
        super(false);
    }

    private static double finite(double v) {
        if (Double.isInfinite(v) || Double.isNaN(v)) {
            throw new NumberTooBig();
        }
        return v;
    }

    @Override
    public NumericNode numberNode(double v) {
        return super.numberNode(finite(v));
    }

    @Override
    public ValueNode numberNode(Double value) {
        return value == null ? nullNode() : super.numberNode(finite(value));
    }

    @Override
    public NumericNode numberNode(float v) {
        return super.numberNode((float) finite(v));
    }

    @Override
    public ValueNode numberNode(Float value) {
        return value == null ? nullNode() : super.numberNode((float) finite(value));
    }
}
