package fr.passerelle.intake;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import fr.passerelle.flow.Flow;

/**
 * A supplier who uploaded by SFTP finds the answer about each file in the reports/ folder of its
 * home: the validation report, or why intake refused the file or cannot route it.
 */
public final class SupplierReports {

    private static final Logger LOG = LoggerFactory.getLogger(SupplierReports.class);

    private final Path homes;

    public SupplierReports(Path homes) {
        this.homes = homes;
    }

    /** Intake's answer (REJECTED or UNROUTED before any validation), for an SFTP flow. */
    public void intakeAnswer(Flow flow) {
        if (flow.rejection() == null) {
            return;
        }
        Map<String, Object> reason = new LinkedHashMap<>();
        reason.put("layer", flow.rejection().layer());
        reason.put("rule", flow.rejection().rule());
        reason.put("location", flow.rejection().location());
        reason.put("message", flow.rejection().message());
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("file", flow.fileName());
        report.put("flow", flow.id());
        report.put("status", flow.status().name());
        report.put("reason", reason);
        try {
            write(flow, ReportFiles.json(report));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes the report (atomically) when the flow came by SFTP; other channels have the API. */
    public void write(Flow flow, String json) {
        if (!Submission.SFTP.equals(flow.channel()) || flow.sender() == null || !flow.sender().startsWith("sftp:")) {
            return;
        }
        Path reports = homes.resolve(flow.sender().substring("sftp:".length())).resolve(SupplierSftpServer.REPORTS);
        // file names stop at 255 bytes: a long upload name is cut, the flow id keeps it unique
        String name = flow.fileName().length() > 150 ? flow.fileName().substring(0, 150) : flow.fileName();
        try {
            ReportFiles.write(reports.resolve(name + "." + flow.id().substring(0, 8) + ".report.json"), json);
        } catch (IOException e) {
            // the report stays in the database and the API: the supplier's copy is a courtesy
            LOG.warn("Cannot write the report of flow {} for {}: {}", flow.id(), flow.sender(), e.getMessage());
        }
    }
}
