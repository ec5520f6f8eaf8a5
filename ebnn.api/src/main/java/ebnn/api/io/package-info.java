/**
 * Files as ebnn writes them: checked before long work, replaced atomically, with the user's umask,
 * and I/O failures told as what happened to which path.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package ebnn.api.io;
