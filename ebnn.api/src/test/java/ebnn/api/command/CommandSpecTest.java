package ebnn.api.command;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.List;

import org.junit.Test;

public class CommandSpecTest {
    private final CommandSpec memory = CommandSpec.command("memory", "plan").argument("MODEL", null).option("device", "D", null)
            .option("limit", "N", null).flag("json", null).build();

    @Test
    public void parsesPositionalsOptionsAndFlags() {
        Args a = memory.parse("m.ebnn", "--device", "atmega328p", "--json");
        assertEquals("m.ebnn", a.positional(0));
        assertEquals("atmega328p", a.required("device"));
        assertTrue(a.flag("json"));
        assertNull(a.value("limit"));
        assertEquals(7, a.positiveInt("limit", 7));
    }

    @Test
    public void acceptsEqualsForm() {
        Args a = memory.parse("--device=cortex-m4", "m.ebnn", "--limit=5");
        assertEquals("cortex-m4", a.value("device"));
        assertEquals(5, a.positiveInt("limit", 1));
        assertFalse(a.flag("json"));
    }

    @Test
    public void rejectsWhatItDoesNotKnow() {
        UsageException e = assertThrows(UsageException.class, () -> memory.parse("m", "--devise", "x"));
        assertTrue(e.getMessage(), e.getMessage().contains("--devise") && e.getMessage().contains("--device"));
        assertThrows(UsageException.class, () -> memory.parse("m", "--device"));
        assertThrows(UsageException.class, () -> memory.parse());
        assertThrows(UsageException.class, () -> memory.parse("a", "b"));
        assertThrows(UsageException.class, () -> memory.parse("m", "--json=yes"));
        assertThrows(UsageException.class, () -> memory.parse("m", "--limit", "x").positiveInt("limit", 1));
        assertThrows(UsageException.class, () -> memory.parse("m", "--limit", "0").positiveInt("limit", 1));
        assertThrows(UsageException.class, () -> memory.parse("m").required("device"));
    }

    @Test
    public void helpNeedsNoPositionals() {
        assertTrue(memory.parse("--help").flag("help"));
        assertTrue(memory.parse("-h").flag("help"));
    }

    @Test
    public void doubleDashEndsOptions() {
        assertEquals("--odd-name.ebnn", memory.parse("--", "--odd-name.ebnn").positional(0));
    }

    @Test
    public void everyModelCommandTakesAnInputRange() {
        CommandSpec info = CommandSpec.command("info", "show").model("MODEL").flag("json", null).build();
        ebnn.api.model.InputRange r = info.parse("m.onnx", "--input-range", "0,65025").inputRange();
        assertEquals(0, r.low(), 0);
        assertEquals(65025, r.high(), 0);
        assertEquals(-1, info.parse("m.onnx", "--input-range=-1,1").inputRange().low(), 0);
        assertNull(info.parse("m.onnx").inputRange());
        UsageException e = assertThrows(UsageException.class, () -> info.parse("m.onnx", "--input-range", "1,0").inputRange());
        assertTrue(e.getMessage(), e.getMessage().startsWith("--input-range: input range"));
        assertThrows(UsageException.class, () -> info.parse("m.onnx", "--input-range", "zero,one").inputRange());
    }

    /** The usage line is made from the declaration: required words bare, the rest in brackets, alternatives after '|'. */
    @Test
    public void usageIsTheDeclaration() {
        CommandSpec train = CommandSpec.command("train", "train a network").required("arch", "NAME", "the architecture")
                .option("epochs", "N", "passes").flag("lean", null).flag("json", null).standalone("list", "list the architectures").build();
        assertEquals("--arch NAME [--epochs N] [--lean] [--json] | --list", train.usage());
        assertEquals(train.usage(), train.synopsis()); // short enough to show whole
        CommandSpec longer = CommandSpec.command("train", "train").required("arch", "NAME", null).option("epochs", "N", null)
                .option("batch", "N", null).option("seed", "S", null).option("out", "FILE", null).flag("json", null).standalone("list", null).build();
        assertEquals("--arch NAME [options] | --list", longer.synopsis());
        assertEquals(List.of("--arch", "--epochs", "--lean", "--json", "--list", "--help"), train.optionNames());
        UsageException e = assertThrows(UsageException.class, () -> train.parse("--epochs", "3"));
        assertEquals("missing --arch", e.getMessage());
        assertTrue(train.parse("--list").flag("list")); // the alternative needs no --arch
        assertEquals("usage: ebnn:train --arch NAME [--epochs N] [--lean] [--json] | --list\n"
                + "  train a network\n"
                + "  --arch NAME  the architecture\n"
                + "  --epochs N   passes\n"
                + "  --list       list the architectures\n", train.helpText());
        CommandSpec export = CommandSpec.command("export", "write").model("MODEL").argument("FILE", "where").flag("force", "replace\nin one step")
                .build();
        assertEquals("MODEL [--input-range LOW,HIGH] FILE [--force]", export.usage());
        assertEquals(export.usage(), export.synopsis());
        assertTrue(export.helpText(), export.helpText().contains("  --force  replace\n           in one step\n"));
    }

    @Test
    public void aNameIsDeclaredOnce() {
        assertThrows(IllegalStateException.class, () -> CommandSpec.command("x", "y").flag("json", null).option("json", "J", null));
        assertThrows(IllegalStateException.class, () -> CommandSpec.command("x", "y").flag("help", null));
        assertThrows(IllegalArgumentException.class, () -> CommandSpec.command("Bad Name", "y"));
        assertThrows(IllegalArgumentException.class, () -> CommandSpec.command("x", "two\nlines"));
    }
}
