import { carveSubnets } from "../../modules/cidr";

describe("subnet plans", () => {
  test("allocates tiers in order, each block aligned to its size", () => {
    expect(
      carveSubnets("10.10.0.0/16", [
        { name: "private", newBits: 3, count: 3 },
        { name: "public", newBits: 6, count: 3 },
      ]),
    ).toEqual({
      private: ["10.10.0.0/19", "10.10.32.0/19", "10.10.64.0/19"],
      public: ["10.10.96.0/22", "10.10.100.0/22", "10.10.104.0/22"],
    });
  });

  test("aligns a larger block after smaller ones", () => {
    expect(carveSubnets("10.0.0.0/24", [{ name: "small", newBits: 4, count: 1 }, { name: "big", newBits: 1, count: 1 }])).toEqual({
      small: ["10.0.0.0/28"],
      big: ["10.0.0.128/25"],
    });
  });

  test("the smallest AWS network holds six zones of three tiers", () => {
    const plan = carveSubnets("10.0.0.0/20", [
      { name: "private", newBits: 3, count: 6 },
      { name: "public", newBits: 6, count: 6 },
      { name: "database", newBits: 6, count: 6 },
    ]);
    expect(plan.database[5]).toBe("10.0.14.192/26");
  });

  test("names the tier that no longer fits", () => {
    expect(() => carveSubnets("10.0.0.0/24", [{ name: "private", newBits: 1, count: 3 }])).toThrow(
      "subnet plan of 10.0.0.0/24: no room left for 'private' subnet 3 of 3 (/25)",
    );
  });

  test("refuses blocks smaller than /28", () => {
    expect(() => carveSubnets("10.0.0.0/24", [{ name: "tiny", newBits: 5, count: 1 }])).toThrow("'tiny' subnets would be /29, smaller than /28");
  });
});
