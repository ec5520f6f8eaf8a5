/**
 * Test support shared by the modules' tests (test scope only, not part of the app): where the test
 * data and models are ({@link ebnn.testing.TestData}), seeded random float models covering every
 * lowering case ({@link ebnn.testing.RandomModels}) and paper-shaped models with random but valid
 * weights ({@link ebnn.testing.PaperModels}), writers of data files in every format the data layer reads
 * ({@link ebnn.testing.DataFiles}) and a seeded RGB image set ({@link ebnn.testing.ColouredShapes}). Exported so OSGi tests can use it too.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.2.0")
package ebnn.testing;
