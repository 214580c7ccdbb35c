/** The snapshot helper's repair of cdktf's HCL rendering of lists inside maps. */
import { listsInsideMaps } from "./synth";

test("index-keyed objects become lists; other objects stay as they are", () => {
  expect(listsInsideMaps('header = {\nHost = {\n0 = "a"\n1 = "b"\n}\n}\n')).toBe('header = {\nHost = ["a", "b"]\n}\n');
  const notAList = 'ports = {\n1 = "a"\n0 = "b"\n}\n';
  expect(listsInsideMaps(notAList)).toBe(notAList);
  const named = 'labels = {\nteam = "x"\n}\n';
  expect(listsInsideMaps(named)).toBe(named);
});
