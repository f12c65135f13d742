package lib.report;

import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

import lib.core.Logs;
import lib.report.Expectations.Expectation;
import lib.report.Expectations.Verdict;

/**
 * junit.xml: a testcase per cell; an unavailable or unsupported cell is skipped,
 * with its reason; warnings go to system-err. Every text a client printed is
 * escaped (ReportText), since XML 1.0 has no way to carry most control characters.
 */
public final class JunitReport {
    private JunitReport() {}

    public static String render(Report report) {
        StringWriter text = new StringWriter();
        try {
            XMLStreamWriter xml = XMLOutputFactory.newInstance().createXMLStreamWriter(text);
            xml.writeStartDocument("UTF-8", "1.0");
            xml.writeCharacters("\n");
            xml.writeStartElement("testsuite");
            xml.writeAttribute("name", "moq-smoke." + report.suite());
            boolean strict = report.expectations().strict();
            xml.writeAttribute("tests", Integer.toString(report.cells().size() + report.expired().size()));
            xml.writeAttribute("failures", Long.toString(report.count(Verdict.FAIL) + report.expired().size()
                    + (strict ? report.count(Verdict.XPASS) : 0)));
            xml.writeAttribute("skipped", Long.toString(report.count(Verdict.UNAVAILABLE) + report.count(Verdict.UNSUPPORTED)
                    + report.count(Verdict.XFAIL)));
            xml.writeAttribute("errors", "0");
            xml.writeAttribute("time", seconds(report.wallTime().toMillis()));
            xml.writeAttribute("timestamp", report.started().toString());
            for (CellResult cell : report.cells()) testcase(report, cell, xml);
            for (Expectation entry : report.expired()) expired(report, entry, xml);
            xml.writeEndElement();
            xml.writeEndDocument();
            xml.close();
        } catch (XMLStreamException e) {
            throw new IllegalStateException(e);
        }
        return text + "\n";
    }

    private static void testcase(Report report, CellResult cell, XMLStreamWriter xml) throws XMLStreamException {
        xml.writeCharacters("\n  ");
        xml.writeStartElement("testcase");
        xml.writeAttribute("classname", ReportText.line("moq-smoke." + report.suite() + "." + cell.from()));
        xml.writeAttribute("name", ReportText.line(cell.key()));
        xml.writeAttribute("time", seconds(cell.firstFrame() == null ? 0 : cell.firstFrame().toMillis()));
        Verdict verdict = report.verdict(cell);
        properties(verdict, cell, xml);
        switch (verdict) {
            case PASS -> {
                if (!cell.checks().isEmpty()) element(xml, "system-out", checks(cell));
            }
            case XFAIL -> {
                xml.writeStartElement("skipped");
                xml.writeAttribute("message", "expected failure (" + ReportText.line(report.expectation(cell).orElseThrow().tracking()) + "): "
                        + ReportText.line(cell.reason()));
                xml.writeEndElement();
            }
            case XPASS -> {
                String message = "passed, but expected red: remove this expectation ("
                        + ReportText.line(report.expectation(cell).orElseThrow().tracking()) + ")";
                if (report.expectations().strict()) {
                    xml.writeStartElement("failure");
                    xml.writeAttribute("message", message);
                    xml.writeEndElement();
                } else {
                    element(xml, "system-out", message + "\n" + checks(cell));
                }
            }
            case UNAVAILABLE, UNSUPPORTED -> {
                xml.writeStartElement("skipped");
                xml.writeAttribute("message", ReportText.line(cell.reason()));
                xml.writeEndElement();
            }
            case FAIL -> {
                xml.writeStartElement("failure");
                xml.writeAttribute("message", ReportText.line(cell.reason()));
                StringBuilder body = new StringBuilder(checks(cell));
                report.expectations().mismatch(report.suite(), cell, report.today()).ifPresent(why -> body.append(ReportText.line(why)).append('\n'));
                if (!cell.transports().isEmpty()) body.append("transports: ").append(ReportText.transportsLong(cell.transports())).append('\n');
                if (!cell.sources().isEmpty()) body.append("sources: ").append(ReportText.sourcesLong(cell.sources())).append('\n');
                body.append("rerun: ").append(ReportText.line(cell.rerun())).append('\n');
                for (Path log : cell.logs()) {
                    body.append("\n").append(report.show(log)).append(":\n");
                    Logs.tail(log, TerminalReport.LOG_TAIL_LINES).forEach(l -> body.append(ReportText.line(l)).append('\n'));
                }
                xml.writeCharacters(body.toString());
                xml.writeEndElement();
            }
        }
        if (!cell.warnings().isEmpty()) {
            StringBuilder warnings = new StringBuilder();
            cell.warnings().forEach(w -> warnings.append("warning: ").append(ReportText.line(w)).append('\n'));
            element(xml, "system-err", warnings.toString());
        }
        xml.writeEndElement();
    }

    /**
     * status tells a skip for unsupported from one for unavailable (JUnit has one
     * kind of skip); transport.SIDE is what each side really used, source.SIDE
     * the package source of a side with a choice of them.
     */
    private static void properties(Verdict verdict, CellResult cell, XMLStreamWriter xml) throws XMLStreamException {
        xml.writeStartElement("properties");
        property(xml, "status", verdict.id());
        if (!cell.rounds().isEmpty()) property(xml, "rounds", cell.passRate() + " passed; first frame median/slowest "
                + (cell.firstFrame() == null ? "none" : cell.firstFrame().toMillis() + "/" + cell.maxFirstFrame().toMillis() + " ms"));
        for (Map.Entry<String, String> used : new TreeMap<>(cell.transports()).entrySet()) {
            property(xml, "transport." + ReportText.line(used.getKey()), ReportText.line(used.getValue()));
        }
        for (Map.Entry<String, String> taken : new TreeMap<>(cell.sources()).entrySet()) {
            property(xml, "source." + ReportText.line(taken.getKey()), ReportText.line(taken.getValue()));
        }
        xml.writeEndElement();
    }

    /** An expired entry is a failing testcase of its own: CI shows it until the entry is renewed or removed. */
    private static void expired(Report report, Expectation entry, XMLStreamWriter xml) throws XMLStreamException {
        xml.writeCharacters("\n  ");
        xml.writeStartElement("testcase");
        xml.writeAttribute("classname", "moq-smoke." + report.suite() + ".expectations");
        xml.writeAttribute("name", ReportText.line("expectation for " + entry.cell() + " expired"));
        xml.writeAttribute("time", "0.000");
        xml.writeStartElement("failure");
        xml.writeAttribute("message", ReportText.line("expired on " + entry.expires() + " (line " + entry.line() + ", " + entry.tracking()
                + "): renew it or remove it"));
        xml.writeEndElement();
        xml.writeEndElement();
    }

    private static void property(XMLStreamWriter xml, String name, String value) throws XMLStreamException {
        xml.writeEmptyElement("property");
        xml.writeAttribute("name", name);
        xml.writeAttribute("value", value);
    }

    private static void element(XMLStreamWriter xml, String name, String text) throws XMLStreamException {
        xml.writeStartElement(name);
        xml.writeCharacters(text);
        xml.writeEndElement();
    }

    private static String checks(CellResult cell) {
        StringBuilder text = new StringBuilder();
        cell.checks().forEach(c -> text.append(ReportText.check(c)).append('\n'));
        return text.toString();
    }

    private static String seconds(long millis) {
        return String.format(Locale.ROOT, "%.3f", millis / 1000.0);
    }
}
