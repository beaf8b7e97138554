package fr.passerelle.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.deque.html.axecore.results.Results;
import com.deque.html.axecore.results.Rule;
import com.deque.html.axecore.selenium.AxeBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import fr.passerelle.Invoices;
import fr.passerelle.Json;
import fr.passerelle.Samples;
import fr.passerelle.TestGateway;
import fr.passerelle.flow.Flow;
import fr.passerelle.flow.FlowStatus;
import fr.passerelle.treasury.simulator.HeliosSimulator;

/**
 * The console in a real browser (Debian's headless Chromium through its chromedriver, which
 * .ci/run installs): the demo's accountant of aubeval and operator sign in, read, act; what they
 * may not do is refused. Each test saves a screenshot of the page it checks under
 * target/screenshots/, and axe-core finds no serious or critical accessibility violation.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleBrowserTest {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path DRIVER = Path.of("/usr/bin/chromedriver");
    static final Path SCREENSHOTS = Path.of("target", "screenshots");

    @TempDir
    static Path data;
    static TestGateway gw;
    static WebDriver browser;
    static String refusedFlow;
    static String otherCommuneFlow;
    static String failedFlow;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(DRIVER),
                "Chromium and chromedriver (Debian packages chromium, chromium-driver) are needed");
        gw = TestGateway.start(data, Map.of("passerelle.pes.batch.max-wait", "PT0S", "passerelle.pes.pack-period", "200",
                "passerelle.treasury.max-attempts", "2"));
        // an invoice of aubeval refused for its buyer, one of belcourt, and a PES flow the treasury never took
        refusedFlow = id(gw.post("demo-key-aubeval", "/api/v1/flows?wait=20", "facture-refusee.xml",
                Files.readAllBytes(Samples.sample("invoices/ubl/ubl-tc434-example1.xml"))));
        otherCommuneFlow = id(gw.post("demo-key-belcourt", "/api/v1/flows?wait=20", "facture-belcourt.xml",
                Files.readAllBytes(Samples.sample("invoices/ubl/ubl-tc434-example2.xml"))));
        gw.simulator().mode(HeliosSimulator.Mode.REFUSE_CONNECTIONS);
        String invoice = id(gw.post("demo-key-aubeval", "/api/v1/flows?wait=20", "facture-ok.xml",
                Invoices.ublFor(Invoices.AUBEVAL_SIRET).getBytes(StandardCharsets.UTF_8)));
        failedFlow = TestGateway.await(() -> gw.gateway.pesRegistry().pjOf(invoice), java.util.Optional::isPresent,
                Duration.ofSeconds(60)).orElseThrow().pesFlowId();
        TestGateway.await(() -> gw.gateway.flows().find(failedFlow).orElseThrow().status(),
                s -> s == FlowStatus.FAILED, Duration.ofSeconds(90));
        gw.simulator().mode(HeliosSimulator.Mode.NORMAL);

        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--window-size=1280,1000", "--lang=fr-FR",
                "--user-data-dir=" + Files.createTempDirectory(data, "chromium"));
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile())
                .usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
        Files.createDirectories(SCREENSHOTS);
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (gw != null) {
            gw.close();
        }
    }

    @BeforeEach
    void signedOut() {
        browser.manage().deleteAllCookies();
    }

    @Test
    void aSignedOutVisitorIsSentToTheSignInPageAndAWrongPasswordIsRefused() throws Exception {
        browser.get(gw.api() + "/console");
        assertThat(browser.getCurrentUrl()).endsWith("/console/login");
        signIn("compta-aubeval", "pas-le-bon-mot-de-passe");
        assertThat(browser.findElement(By.cssSelector("[role=alert]")).getText()).contains("incorrect");
        screenshot("connexion-refusee");
        assertAccessible();
    }

    @Test
    void anAccountantSeesOnlyItsCommuneAndReadsWhyAnInvoiceWasRefused() throws Exception {
        signIn("compta-aubeval", "demo-console-password");
        browser.get(gw.api() + "/console/flux");
        String list = browser.findElement(By.tagName("main")).getText();
        assertThat(list).contains("facture-refusee.xml").doesNotContain("facture-belcourt.xml");

        browser.findElement(By.linkText("facture-refusee.xml")).click();
        wait(ExpectedConditions.titleContains("facture-refusee.xml"));
        String page = browser.findElement(By.tagName("main")).getText();
        assertThat(page).contains("ROUTING-BUYER").contains("n'est aucune des communes de la plateforme");
        assertThat(page).contains("Refusé");
        screenshot("flux-refuse");
        assertAccessible();
        // its files: the original and the report, downloadable
        String report = browser.findElement(By.partialLinkText("Rapport de validation")).getAttribute("href");
        assertThat(fetchStatus(report)).isEqualTo(200);
        assertThat(fetchStatus(browser.findElement(By.partialLinkText("Original")).getAttribute("href"))).isEqualTo(200);

        // another commune's flow is "not found", typed address or not, and so are its files
        browser.get(gw.api() + "/console/flux/" + otherCommuneFlow);
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Flux introuvable");
        assertThat(fetchStatus(gw.api() + "/console/flux/" + otherCommuneFlow + "/fichier/original")).isEqualTo(404);
    }

    @Test
    void anAccountantCannotReplayAndAPostWithoutTheCsrfTokenIsRefused() throws Exception {
        signIn("compta-aubeval", "demo-console-password");
        browser.get(gw.api() + "/console/flux/" + failedFlow);
        assertThat(browser.findElements(By.xpath("//button[text()='Renvoyer']"))).isEmpty();
        String csrf = browser.findElement(By.name("_csrf")).getAttribute("value");
        // the operators' action, posted by hand with the page's token: refused
        assertThat(post("/console/flux/" + failedFlow + "/renvoyer", "_csrf=" + csrf)).isEqualTo(403);
        // any action without the token: refused, the session stays
        assertThat(post("/console/logout", "")).isEqualTo(403);
        browser.get(gw.api() + "/console");
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Tableau de bord");
        assertThat(gw.gateway.flows().find(failedFlow).orElseThrow().status()).isEqualTo(FlowStatus.FAILED);
    }

    @Test
    @Order(Integer.MAX_VALUE) // the other tests see the flow FAILED
    void anOperatorReplaysAFailedFlowAndWatchesItLeave() throws Exception {
        signIn("operateur", "demo-console-password");
        wait(ExpectedConditions.titleContains("Tableau de bord"));
        assertThat(browser.findElement(By.tagName("main")).getText()).contains("En échec");
        screenshot("tableau-de-bord");
        assertAccessible();

        browser.get(gw.api() + "/console/flux/" + failedFlow);
        browser.findElement(By.xpath("//button[text()='Renvoyer']")).click();
        // the page follows the flow without a reload: SENT, then acknowledged by the treasury
        // the live refresh swaps the page's content: an element read at that moment is stale, read it again
        new WebDriverWait(browser, Duration.ofSeconds(90)).ignoring(StaleElementReferenceException.class).until(d -> {
            String status = d.findElement(By.cssSelector("[data-flow-status]")).getText();
            return status.equals("Transmis au Trésor") || status.equals("Acquitté");
        });
        Flow replayed = gw.gateway.flows().find(failedFlow).orElseThrow();
        assertThat(replayed.status()).isIn(FlowStatus.SENT, FlowStatus.ACKNOWLEDGED);
        screenshot("flux-renvoye");
    }

    @Test
    void aFileIsValidatedAndItsReportReadWithoutStoringIt() throws Exception {
        signIn("compta-aubeval", "demo-console-password");
        browser.get(gw.api() + "/console/valider");
        int before = gw.gateway.flows().list(new fr.passerelle.flow.FlowQuery(null, null, null, null, null, null, 1000, 0))
                .size();
        browser.findElement(By.id("file")).sendKeys(Samples.sample("cdar/UC1_F202500003_01-CDV-200_Deposee.xml")
                .toAbsolutePath().toString());
        browser.findElement(By.xpath("//button[text()='Vérifier']")).click();
        wait(ExpectedConditions.textToBePresentInElementLocated(By.tagName("main"), "Verdict"));
        assertThat(browser.findElement(By.tagName("main")).getText()).contains("acceptée").contains("fr.ctc");
        assertThat(gw.gateway.flows().list(new fr.passerelle.flow.FlowQuery(null, null, null, null, null, null, 1000, 0))
                .size()).isEqualTo(before);
        screenshot("valider");
        assertAccessible();
    }

    private void signIn(String login, String password) {
        browser.get(gw.api() + "/console/login");
        browser.findElement(By.id("login")).sendKeys(login);
        browser.findElement(By.id("password")).sendKeys(password);
        WebElement submit = browser.findElement(By.xpath("//button[text()='Se connecter']"));
        submit.click();
        // the answer's page has replaced the form (signed in or refused): a page asked for next is not
        // overtaken by the sign-in's redirect still loading
        wait(ExpectedConditions.stalenessOf(submit));
    }

    /** A form POST from the signed-in page, by script (same origin, the session cookie goes with it). */
    private int post(String path, String body) {
        Object status = ((JavascriptExecutor) browser).executeAsyncScript(
                "var done = arguments[arguments.length - 1];"
                        + "fetch(arguments[0], {method: 'POST', credentials: 'same-origin', redirect: 'manual',"
                        + " headers: {'Content-Type': 'application/x-www-form-urlencoded'}, body: arguments[1]})"
                        + ".then(function (r) { done(r.status); }).catch(function (e) { done(-1); });", path, body);
        return ((Number) status).intValue();
    }

    /** A GET from the signed-in page, by script; its HTTP status. */
    private int fetchStatus(String url) {
        Object status = ((JavascriptExecutor) browser).executeAsyncScript(
                "var done = arguments[arguments.length - 1];"
                        + "fetch(arguments[0], {credentials: 'same-origin'}).then(function (r) { done(r.status); })"
                        + ".catch(function (e) { done(-1); });", url);
        return ((Number) status).intValue();
    }

    private static <T> void wait(org.openqa.selenium.support.ui.ExpectedCondition<T> condition) {
        new WebDriverWait(browser, Duration.ofSeconds(30)).ignoring(StaleElementReferenceException.class).until(condition);
    }

    private static void screenshot(String name) throws Exception {
        Files.write(SCREENSHOTS.resolve(name + ".png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    }

    private static void assertAccessible() {
        Results results = new AxeBuilder().analyze(browser);
        List<String> bad = results.getViolations().stream()
                .filter(r -> "serious".equals(r.getImpact()) || "critical".equals(r.getImpact()))
                .map(Rule::getId).toList();
        assertThat(bad).as("serious or critical axe-core violations on " + browser.getCurrentUrl()).isEmpty();
    }

    private static String id(HttpResponse<String> answer) {
        return Json.parse(answer.body()).get("id").asText();
    }
}
