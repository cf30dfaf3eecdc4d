package io.jobpool.autoconfigure.dashboard;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

import static org.assertj.core.api.Assertions.fail;

/**
 * Headless Chromium from the operating system's packages (Debian's {@code chromium} and {@code chromium-driver}),
 * driven by Selenium with both paths given, so that nothing is ever downloaded. Where either is missing, the tests
 * that need it are skipped by {@link Present}, saying why, unless the system property {@value #REQUIRED} is
 * {@code true}, as in CI: then they fail.
 */
final class Browser implements AutoCloseable {

	/** The system property that makes a missing browser a failure. */
	static final String REQUIRED = "jobpool.browser.required";

	/** The environment variable that makes a missing browser a failure, as CI sets it. */
	static final String REQUIRED_ENV = "JOBPOOL_BROWSER_REQUIRED";

	private static final Path CHROMIUM = Path.of(System.getProperty("jobpool.browser.binary", "/usr/bin/chromium"));

	private static final Path DRIVER = Path.of(System.getProperty("jobpool.browser.driver", "/usr/bin/chromedriver"));

	private final ChromeDriver driver;

	private Browser(ChromeDriver driver) {
		this.driver = driver;
	}

	/**
	 * Start the browser.
	 * @return the browser
	 * @throws AssertionError if there is none, which {@link Present} lets happen only when one is required
	 */
	static Browser start() {
		String missing = missing();
		if (missing != null) {
			fail(missing + " (" + REQUIRED + " or " + REQUIRED_ENV + " is true, so this fails instead of skipping.)");
		}
		ChromeOptions options = new ChromeOptions();
		options.setBinary(CHROMIUM.toFile());
		options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
				"--window-size=1280,1400", "--force-device-scale-factor=1", "--lang=en-GB", "--no-first-run",
				"--no-default-browser-check", "--disable-extensions", "--disable-sync", "--disable-background-networking",
				"--disable-component-update", "--disable-default-apps", "--disable-domain-reliability",
				"--disable-client-side-phishing-detection", "--metrics-recording-only",
				// Only the application on the loopback is reached: anything else goes to a proxy that is not there.
				"--proxy-server=http://127.0.0.1:9", "--proxy-bypass-list=127.0.0.1;localhost;[::1]");
		LoggingPreferences logging = new LoggingPreferences();
		logging.enable(LogType.BROWSER, Level.ALL);
		options.setCapability("goog:loggingPrefs", logging);
		ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile())
			.usingAnyFreePort()
			.build();
		return new Browser(new ChromeDriver(service, options));
	}

	private static @Nullable String missing() {
		List<String> missing = new ArrayList<>();
		for (Path path : List.of(CHROMIUM, DRIVER)) {
			if (!Files.isExecutable(path)) {
				missing.add(path.toString());
			}
		}
		if (missing.isEmpty()) {
			return null;
		}
		return "The dashboard's browser tests need headless Chromium, but " + String.join(" and ", missing)
				+ " cannot be run. Install it with 'apt-get install chromium chromium-driver', or name other paths with "
				+ "-Djobpool.browser.binary and -Djobpool.browser.driver.";
	}

	/**
	 * Open a page, forgetting what the last one wrote to the console.
	 * @param url the page's address
	 */
	void open(String url) {
		this.driver.manage().logs().get(LogType.BROWSER);
		this.driver.get(url);
	}

	List<WebElement> findAll(String cssSelector) {
		return this.driver.findElements(By.cssSelector(cssSelector));
	}

	WebElement find(String cssSelector) {
		return this.driver.findElement(By.cssSelector(cssSelector));
	}

	String text(String cssSelector) {
		return find(cssSelector).getText();
	}

	Object script(String script, Object... arguments) {
		return ((JavascriptExecutor) this.driver).executeScript(script, arguments);
	}

	/** The errors the page wrote to its console, and the loads that failed, since it was opened or the last call. */
	List<String> consoleErrors() {
		return this.driver.manage()
			.logs()
			.get(LogType.BROWSER)
			.getAll()
			.stream()
			.filter((entry) -> entry.getLevel().intValue() >= Level.SEVERE.intValue())
			.map(LogEntry::getMessage)
			.toList();
	}

	void screenshot(Path file) throws IOException {
		Files.createDirectories(file.toAbsolutePath().getParent());
		Files.write(file, this.driver.getScreenshotAs(OutputType.BYTES));
	}

	@Override
	public void close() {
		this.driver.quit();
	}

	/**
	 * Skips the tests it is on, saying why, where there is no browser and none is required.
	 */
	static final class Present implements ExecutionCondition {

		@Override
		public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
			String missing = missing();
			if (missing == null) {
				return ConditionEvaluationResult.enabled("Chromium and its driver are installed");
			}
			if (required()) {
				return ConditionEvaluationResult.enabled(REQUIRED + " or " + REQUIRED_ENV + " is true");
			}
			return ConditionEvaluationResult.disabled(missing + " Skipped.");
		}

	}

	/** Whether a missing browser is a failure rather than a reason to skip. */
	static boolean required() {
		return Boolean.getBoolean(REQUIRED) || "true".equalsIgnoreCase(System.getenv(REQUIRED_ENV));
	}

}
