package io.synprobe.target;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PortListTest {

    private static int[] ports(PortList l) {
        int[] out = new int[l.size()];
        for (int i = 0; i < out.length; i++) out[i] = l.port(i);
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "22              | 1     | 22    | 22    | 22",
            "22,80,443       | 3     | 22    | 443   | 22,80,443",
            "443,22,80       | 3     | 22    | 443   | 22,80,443",
            "1-1024          | 1024  | 1     | 1024  | 1-1024",
            "-1024           | 1024  | 1     | 1024  | 1-1024",
            "60000-          | 5536  | 60000 | 65535 | 60000-65535",
            "1-              | 65535 | 1     | 65535 | 1-65535",
            "-               | 65535 | 1     | 65535 | 1-65535",
            "1-65535         | 65535 | 1     | 65535 | 1-65535",
            "65535           | 1     | 65535 | 65535 | 65535",
            "22-22           | 1     | 22    | 22    | 22",
            "' 22 , 80 '     | 2     | 22    | 80    | 22,80",
            "00022           | 1     | 22    | 22    | 22",
            "80,22,80,22     | 2     | 22    | 80    | 22,80",
            "20-30,25-40,41  | 22    | 20    | 41    | 20-41",
            "1-10,12,14-15   | 13    | 1     | 15    | 1-10,12,14-15",
    })
    void acceptsEveryForm(String spec, int size, int first, int last, String compact) {
        PortList l = PortList.parse(spec);
        assertEquals(size, l.size());
        assertEquals(first, l.port(0));
        assertEquals(last, l.port(l.size() - 1));
        assertEquals(compact, l.spec());
        // the compact form parses back to the same list
        assertArrayEquals(ports(l), ports(PortList.parse(l.spec())));
    }

    @Test
    void portsAreSortedAndIndexOfIsTheInverse() {
        PortList l = PortList.parse("443,8080-8082,22,80,1,65535");
        assertArrayEquals(new int[] {1, 22, 80, 443, 8080, 8081, 8082, 65535}, ports(l));
        for (int i = 0; i < l.size(); i++) assertEquals(i, l.indexOf(l.port(i)));
        for (int p : new int[] {0, 2, 21, 23, 79, 81, 8079, 8083, 65534}) assertEquals(-1, l.indexOf(p), "port " + p);
        for (int p : new int[] {-1, 65536, Integer.MAX_VALUE, Integer.MIN_VALUE}) assertEquals(-1, l.indexOf(p), "" + p);
    }

    @Test
    void allPortsRoundTrip() {
        PortList l = PortList.parse("-");
        for (int p = 1; p <= 65535; p++) {
            assertEquals(p - 1, l.indexOf(p));
            assertEquals(p, l.port(p - 1));
        }
        assertEquals(-1, l.indexOf(0));
    }

    @Test
    void ofSortsAndDeduplicates() {
        PortList l = PortList.of(443, 22, 80, 22);
        assertArrayEquals(new int[] {22, 80, 443}, ports(l));
        assertEquals(1, l.indexOf(80));
        assertEquals("invalid port '0' (1-65535)", assertThrows(UsageException.class, () -> PortList.of(22, 0)).getMessage());
        assertTrue(assertThrows(UsageException.class, () -> PortList.of(65536)).getMessage().contains("'65536'"));
        assertTrue(assertThrows(UsageException.class, () -> PortList.of(-1)).getMessage().contains("'-1'"));
    }

    @ParameterizedTest(name = "''{0}''")
    @CsvSource(delimiter = '|', emptyValue = "", value = {
            "70000       | invalid port '70000' (1-65535)",
            "65536       | invalid port '65536' (1-65535)",
            "99999       | invalid port '99999'",
            "123456      | invalid port '123456' in '123456'",
            "0           | invalid port '0' (1-65535)",
            "0-5         | invalid port '0'",
            "22,0        | invalid port '0'",
            "''          | empty port list",
            "'   '       | empty port list",
            ",           | empty entry in port list ','",
            "22,,80      | empty entry in port list '22,,80'",
            "'22,'       | empty entry in port list '22,'",
            "',22'       | empty entry in port list ',22'",
            "80-22       | port range '80-22' ends before it starts",
            "abc         | invalid port 'abc' in 'abc'",
            "22,abc      | invalid port 'abc' in '22,abc'",
            "+22         | invalid port '+22'",
            "22;80       | invalid port '22;80'",
            "1-2-3       | invalid port '2-3' in '1-2-3'",
            "--          | invalid port '-' in '--'",
            "0x16        | invalid port '0x16'",
            "22.0        | invalid port '22.0'",
    })
    void badFormsNameTheBadToken(String spec, String message) {
        UsageException e = assertThrows(UsageException.class, () -> PortList.parse(spec), spec);
        assertTrue(e.getMessage().contains(message), () -> "'" + e.getMessage() + "' lacks " + message);
    }

    @Test
    void nullIsAnEmptyList() {
        assertEquals("empty port list", assertThrows(UsageException.class, () -> PortList.parse(null)).getMessage());
    }
}
