/**
 * What a bundle needs to bring its own {@code ebnn:*} commands: register a {@link Command} service
 * (a DS component) and the shell finds it. Its {@link CommandSpec} is the one declaration of its name,
 * summary, arguments and options, from which the usage line, {@code --help}, {@code ebnn:help} and
 * the interactive shell's completion are all made. The shell turns the command line into {@link Args},
 * runs {@link Command#execute} and keeps the conventions: a thrown {@link UsageException} is one
 * {@code error: ...} line, the usage line and exit status 2, any other failure one {@code error: ...}
 * line and exit status 1. The package has no Gogo, JLine or OSGi types: a command can be run and
 * tested without a shell.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package ebnn.api.command;
