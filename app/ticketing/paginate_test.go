package ticketing

import (
	"context"
	"errors"
	"testing"
)

func TestPaginateLoopsAreInconsistentData(t *testing.T) {
	stuck := func(context.Context, int) (page[int, int], error) {
		return page[int, int]{items: []int{1}, next: 1, more: true}, nil
	}
	_, err := paginate(context.Background(), Shotgun, "/tickets/sold", 1, stuck)
	var re *RemoteError
	if !errors.As(err, &re) || re.Code != CodeInconsistentData || re.System != Shotgun || re.Path != "/tickets/sold" {
		t.Errorf("err = %#v", err)
	}
}
