package io.synprobe.cli;

import io.synprobe.target.Durations;
import io.synprobe.target.PortList;
import java.time.Duration;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Typed option values: picocli refuses a bad token before call() runs, naming the option and the token. */
final class Converters {
    private Converters() {
    }

    static final class DurationValue implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            try {
                return Durations.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    static final class PortsValue implements ITypeConverter<PortList> {
        @Override
        public PortList convert(String value) {
            try {
                return PortList.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    /** One port, 1-65535. */
    static final class PortValue implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            try {
                PortList p = PortList.parse(value);
                if (p.size() == 1) return p.port(0);
            } catch (IllegalArgumentException e) {
                // reported below with the expected form
            }
            throw new TypeConversionException("invalid port '" + value + "' (one port, 1-65535)");
        }
    }

    static final class RateValue implements ITypeConverter<Double> {
        @Override
        public Double convert(String value) {
            try {
                return Rates.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    static final class ShardValue implements ITypeConverter<Shard> {
        @Override
        public Shard convert(String value) {
            try {
                return Shard.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    static final class ScanTypeValue implements ITypeConverter<String> {
        @Override
        public String convert(String value) {
            if (value.equals("syn") || value.equals("ack")) return value;
            throw new TypeConversionException("invalid scan type '" + value + "' (syn or ack)");
        }
    }

    static final class SendPathValue implements ITypeConverter<io.synprobe.nativeio.SendPath> {
        @Override
        public io.synprobe.nativeio.SendPath convert(String value) {
            try {
                return io.synprobe.nativeio.SendPath.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}
