package lib.report;

import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Locale;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

import lib.core.Logs;
import lib.core.Secrets;
import lib.report.CellResult.Status;

/** junit.xml: a testcase per cell; an unavailable cell is skipped, with its reason. */
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
            xml.writeAttribute("tests", Integer.toString(report.cells().size()));
            xml.writeAttribute("failures", Long.toString(report.count(Status.FAIL)));
            xml.writeAttribute("skipped", Long.toString(report.count(Status.UNAVAILABLE) + report.count(Status.UNSUPPORTED)));
            xml.writeAttribute("errors", "0");
            xml.writeAttribute("time", seconds(report.wallTime().toMillis()));
            xml.writeAttribute("timestamp", report.started().toString());
            for (CellResult cell : report.cells()) testcase(report, cell, xml);
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
        xml.writeAttribute("classname", "moq-smoke." + report.suite() + "." + cell.from());
        xml.writeAttribute("name", cell.key());
        xml.writeAttribute("time", seconds(cell.firstFrame() == null ? 0 : cell.firstFrame().toMillis()));
        switch (cell.status()) {
            case PASS -> {
                if (!cell.checks().isEmpty()) {
                    xml.writeStartElement("system-out");
                    xml.writeCharacters(checks(cell));
                    xml.writeEndElement();
                }
            }
            case UNAVAILABLE, UNSUPPORTED -> {
                xml.writeStartElement("skipped");
                xml.writeAttribute("message", Secrets.redact(cell.reason()));
                xml.writeEndElement();
            }
            case FAIL -> {
                xml.writeStartElement("failure");
                xml.writeAttribute("message", Secrets.redact(cell.reason()));
                StringBuilder body = new StringBuilder(checks(cell)).append("rerun: ").append(cell.rerun()).append('\n');
                for (Path log : cell.logs()) {
                    body.append("\n").append(report.show(log)).append(":\n");
                    Logs.tail(log, TerminalReport.LOG_TAIL_LINES).forEach(l -> body.append(l).append('\n'));
                }
                xml.writeCharacters(body.toString());
                xml.writeEndElement();
            }
        }
        xml.writeEndElement();
    }

    private static String checks(CellResult cell) {
        StringBuilder text = new StringBuilder();
        cell.checks().forEach(c -> text.append(c.passed() ? "ok   " : "FAIL ").append(c.name())
                .append(c.detail().isEmpty() ? "" : ": " + Secrets.redact(c.detail())).append('\n'));
        return text.toString();
    }

    private static String seconds(long millis) {
        return String.format(Locale.ROOT, "%.3f", millis / 1000.0);
    }
}
